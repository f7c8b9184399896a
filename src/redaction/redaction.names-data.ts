/**
 * Given names and surnames, compiled from public-domain census-style frequency knowledge
 * (US Census surname and SSA given-name frequencies, Quebec and Hispanic naming patterns).
 * Lowercase, space-separated. Names that are also everyday words live in COMMON_WORD_NAMES:
 * they count as names only next to other evidence.
 */

export const GIVEN_NAMES = `
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
donald mark paul steven andrew kenneth joshua kevin brian george edward ronald timothy jason jeffrey ryan
jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank alexander
raymond patrick jack dennis jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter ethan
jeremy harold keith christian roger noah gerald carl terry sean austin arthur lawrence jesse dylan bryan joe
jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah
louis bobby philip johnny mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie
rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha
katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie joyce
victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline
frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise amber
marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla
liam oliver lucas mason elias james aiden jackson sebastian mateo levi owen luke carter wyatt grayson leo
jayden lincoln isaac julian hudson caleb josiah hunter ezra landon maverick thomas nolan ian easton asher
jaxon cooper colton axel miles eli santiago everett brooks adrian jace ayden declan silas xavier jameson
theodore emmett bentley parker roman kai waylon weston micah rowan beau greyson harrison kingston ryder
jude luca amelia ava mia harper evelyn camila gianna ella luna aria scarlett penelope layla chloe victoria
riley nora zoey lily eleanor hazel violet aurora savannah audrey brooklyn bella claire skylar lucy paisley
everly anna caroline nova genesis emilia kennedy maya willow kinsley naomi aaliyah elena ariana gabriella
allison hailey madelyn alice ruby eva serenity autumn quinn peyton hadley valentina ivy sadie piper lydia
alexa josephine emery delilah arianna vivian kaylee sophie brielle madeline natalia nevaeh athena leah
aubrey addison stella lillian adeline jasmine eliana mackenzie isla kylie aubree jade emerson sydney
gerard guy yves jacques pierre jean-pierre jean-francois francois francoise michel andre alain rene marcel
claude sylvie nathalie isabelle chantal genevieve helene josee johanne manon martine mathieu maxime
guillaume louis-philippe sebastien stephane yannick etienne benoit alexandre olivier simon gabriel felix
raphael antoine samuel thomas william emile jules arnaud nicolas cedric frederic jerome luc denis gilles
normand rejean real gaetan serge ginette lise louise micheline nicole pierrette suzanne therese yvette
annie audrey catherine caroline emilie julie melanie marie-eve marie-claude marie-josee valerie veronique
amelie camille chloe juliette lea rosalie florence alice charlotte zoe eloise jeanne clara maude noemie
josee solange gisele lucie monique jacinthe diane dominique mireille ghislain germain lucien fernand
jose luis carlos jesus antonio francisco miguel manuel pedro alejandro ricardo fernando jorge roberto
rafael eduardo javier sergio raul mario alberto enrique hector arturo oscar guillermo ramon salvador
rodrigo ruben victor armando adrian alfredo julio cesar ernesto gerardo hugo ignacio joaquin pablo diego
andres emilio esteban felipe gustavo mauricio rogelio santiago tomas marco marcos alonso ivan leonardo
maria guadalupe juana margarita rosa ana francisca teresa carmen josefina alicia elena leticia martha
patricia veronica adriana gabriela claudia silvia yolanda norma laura araceli beatriz alejandra mariana
daniela fernanda valeria ximena sofia camila isabella lucia paula natalia andrea carolina diana monica
rocio lorena irma gloria graciela luz esperanza consuelo dolores pilar raquel susana estela marisol
xochitl itzel citlali yesenia brenda karla liliana rosario angelica maribel elizabeth cristina
mohammed muhammad ahmed ali omar hassan hussein ibrahim yusuf fatima aisha mariam zainab layla noor amir
wei li ming jun hui yan ling chen xin jing lei feng hao tao yu mei lin hua jie qiang
raj rahul amit sanjay vijay anil sunil ravi arjun priya anjali pooja neha sunita deepa kavita rekha
nguyen anh minh thanh tuan hung linh huong lan mai hoa trang thuy duc quang
kenji hiroshi takashi yuki akira haruto sakura yui hana aiko kim min-jun ji-woo seo-yeon ji-hoon
dmitri sergei vladimir olga natasha svetlana irina tatiana anastasia ivanov nikolai alexei yuri
kwame kofi ama abena chinedu chioma emeka ngozi oluwaseun adebayo tunde funmilayo
aiyana dakota cheyenne kiona
tremaine deshawn darnell jamal tyrone marquis demetrius lamar terrell cedric dwayne reginald
keisha latoya tamika shanice ebony aaliyah imani jasmine tiana precious destiny
todd troy shane travis derek brett chad cody corey craig curtis dale dustin darren glenn greg jared
jamie jeff jim jon kurt lance lee leon marvin mike neil nick phil randall rick rob ron rodney ross
seth shawn stanley stuart ted tim tom tony trevor vernon warren wesley allen alvin andy barry ben bernard
bill bob brad calvin cameron chris clarence clifford clyde colin dan danny darryl dave dean derrick
don doug duane earl eddie edwin elmer floyd francis fred gene gilbert gordon harvey herbert herman howard
jay jimmy joel johnnie lloyd lonnie manuel marion martin max melvin milton morris nathaniel norman perry
ray roland ronnie sam sidney steve tommy wallace wendell willard
abby alexandra alison allie alyssa angie april ashlee ashleigh beth bonnie brianna bridget brittney
candace carla carly carmen cassandra cathy christy cindy colleen courtney crystal dana dawn deanna debbie
della desiree dianne dolly edith eileen elaine ellen erica erin ethel eunice felicia gina gwendolyn
holly irene jackie jaime jana jane jenna jenny jill jo joann jodi josephine joy kara kari kate kathy katie
katrina kelli kendra kristen kristin kristina krystal lacey leslie lindsay lindsey lori lorraine lynn
mandy marcia marianne marjorie marlene meghan melinda melody mercedes miranda misty molly nina paige
peggy penny rachael regina renee rhonda rita roberta robin robyn rosemary roxanne sabrina sally shannon
shawna sheila shelby shelly sherri sherry sonia stacey stacy sue summer tabitha tamara tammy tanya tara
tasha tina toni tonya tracey tracy trisha valerie vanessa vicki vickie wanda wendy whitney yvonne
`;

export const SURNAMES = `
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson
anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis
robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall
rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes
stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard
ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price
alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan bell
coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton
graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar
stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas
henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw
snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox
warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne
grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight elliott
cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry perkins hoffman
johnston matthews pena richards contreras willis carpenter lawrence sandoval guerrero george chapman rios
estrada ortega watkins greene nunez wheeler valdez harper burke larson santiago maldonado morrison franklin
carlson austin dominguez carr lawson jacobs obrien lynch singh vega bishop montgomery oliver jensen harvey
williamson gilbert dean sims espinoza howell li wong reid hanson le mccoy garrett burton fuller wang weber
welch rojas lucas marquez fields park yang little banks padilla day walsh bowman schultz luna fowler
mejia davidson acosta brewer may holland juarez newman pearson curtis cortez douglas schneider joseph
barrett navarro figueroa keller avila wade molina stanley hopkins campos barnett bates chambers caldwell
beck lambert miranda byrd craig ayala lowe frazier powers neal leonard gregory carrillo sutton fleming
rhodes shelton schwartz norris jennings watts duran walters cohen mcdaniel moran parks steele vaughn
becker holt deleon barker terry hale leon hail benson haynes horton miles lyons pham graves bush thornton
wolfe warner cabrera mckinney mann zimmerman dawson lara fletcher page mccarthy love robles cervantes
solis erickson reeves chang klein salinas fuentes baldwin daniel simon velasquez hardy higgins aguirre
lin cummings chandler sharp barber bowen ochoa dennis robbins liu ramsey francis griffith paul blair
oconnor cardenas pacheco cross calderon quinn moss swanson chan rivas khan rodgers serrano fitzgerald
rosales stevenson christensen manning gill curry mclaughlin harmon mcgee gross doyle garner newton burgess
reese walton blake trujillo adkins brady goodman roman webster goodwin fischer huang potter delacruz
montoya todd wu hines mullins castaneda malone cannon tate mack sherman hubbard hodges zhang guerra wolf
valencia saunders franco rowe gallagher farmer hammond hampton townsend ingram wise gallegos clarke barton
schroeder maxwell waters logan camacho strickland norman person colon parsons frank harrington glover
osborne buchanan casey floyd patton ibarra ball tyler suarez bowers orozco salas cobb gibbs andrade
bauer conner moody escobar mcguire lloyd mueller hartman french kramer mcbride pope lindsey velazquez
norton mccormick sparks flynn yates hogan marsh macias villanueva zamora pratt stokes owen ballard lang
brock villarreal charles drake barrera cain patrick pineda burnett mercado santana shepherd bautista ali
shaffer lamb trevino mckenzie hess beil olsen cochran morton nash wilkins petersen briggs shah roth
nicholson holloway lozano rangel flowers hoover short arias mora valenzuela bryan meyers weiss underwood
bass greer summers houston carson morrow clayton whitaker decker yoder collier zuniga carey wilcox melendez
poole roberson larsen conley davenport copeland massey lam huff rocha cameron jefferson hood monroe
anthony pittman huynh randall singleton kirk combs mathis christian skinner bradford richard galvan
wall boone kirby wilkinson bridges bruce atkinson velez meza roy vincent york hodge villa abbott allison
tapia gates chase sosa sweeney farrell wyatt dalton horn barron phelps yu dickerson heath foley atkins
mathews bonilla acevedo benitez zavala hensley glenn cisneros harrell shields rubio choi huffman boyer
garrison arroyo bond kane hancock callahan dillon cline wiggins grimes arellano melton oneill savage ho
beltran pitts parrish ponce rich booth koch golden ware brennan mcdowell marks cantu humphrey baxter
sawyer clay tanner hutchinson kaur berg wiley gilmore russo villegas hobbs keith wilkerson ahmed beard
mcclain montes mata rosario vang walter henson oneal mosley mcclure beasley stephenson snow huerta
preston vance barry johns eaton blackwell dyer prince macdonald solomon guevara stafford english hurst
woodard cortes shannon kemp nolan mccullough merritt murillo moon salgado strong kline cordova barajas
roach rosas winters jacobson lester knox bullock kerr leach meadows davila orr whitehead pruitt kent
conway mckee barr david dejesus marin berger mcintyre blankenship gaines palacios cuevas bartlett durham
dorsey mccall odonnell stein browning stout lowery sloan mclean hendricks calhoun sexton chung gentry
hull duarte ellison nielsen gillespie buck middleton sellers leblanc esparza hardin bradshaw mcintosh
howe livingston frost glass morse knapp herman stark bravo noble spears weeks corona frederick buckley
mcfarland hebert enriquez hickman quintero randolph schaefer walls trejo house reilly pennington
tremblay gagnon roy cote bouchard gauthier morin lavoie fortin gagne ouellet pelletier belanger levesque
bergeron leblanc paquette girard simard boucher caron beaulieu cloutier dube poirier fournier lapointe
leclerc lefebvre poulin thibault st-pierre nadeau martel gilbert proulx lachance jacques couture
richard bedard charbonneau desjardins lemieux mercier dion lessard blais turcotte rousseau dufour vachon
beaudoin landry brassard lacroix tessier dupont durand moreau laurent lefevre bonnet garnier rousseau
chevalier robin masson sanchez muller lemaire lambert faure mercier blanc guerin boyer fontaine
hernandez gonzalez rodriguez fernandez lopez martinez sanchez perez gomez martin jimenez ruiz hernandez
diaz moreno alvarez munoz romero alonso gutierrez navarro torres dominguez vazquez ramos gil ramirez
serrano blanco molina morales suarez ortega delgado castro ortiz rubio marin sanz iglesias nunez medina
garrido cortes castillo santos lozano guerrero cano prieto mendez cruz calvo gallego vidal leon marquez
herrera pena flores cabrera campos vega fuentes carrasco diez caballero reyes nieto aguilar pascual
quispe mamani huaman condori chambi flores vasquez choque
nguyen tran le pham hoang phan vu vo dang bui do ho ngo duong ly
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang
kim lee park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn song
patel sharma singh kumar gupta shah mehta joshi reddy rao iyer nair das bose chatterjee banerjee
khan ahmed ali hussain rahman hassan ibrahim mahmoud abdullah
tanaka suzuki takahashi watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki
okafor okonkwo adeyemi mensah boateng owusu
murphy kelly obrien byrne ryan oconnor walsh mccarthy gallagher doherty kennedy lynch murray quinn
mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter klein wolf
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti deluca costa
kowalski nowak wisniewski wojcik kaminski lewandowski zielinski szymanski
ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov
johansson andersson karlsson nilsson eriksson larsson olsson persson svensson gustafsson
`;

/** Names that are also ordinary words: never a name on their own. */
export const COMMON_WORD_NAMES = `
will may june april august grace hope faith joy mark bill rose lily daisy dawn summer autumn amber crystal
ruby pearl jade ivy holly iris violet sky rain storm hunter chase mason carter cooper parker taylor jordan
austin dallas houston paris london china georgia virginia carolina sierra savannah brooklyn phoenix max
rich frank art guy ray rex jack pat sue don dean drew gene miles norm rod sandy sunny wade woody bob buck
jay robin rocky stone lane dale glen brook heath cliff clay earl king prince major judge chance honor
justice angel bishop dusty page reed rush green white brown black young hill wood price long rice ward bell
cook bailey hunt fox day knight little west north love grant rivers banks church mills lord hall cross
ford marsh short strong best golden noble sharp frost snow winter lamb hope gay early bond case bush
moss power powers hardy holmes may paul lucky sterling hart lean wise hood low rich walker archer baker
butler fisher gardner mayer miller porter potter sawyer shepherd tanner turner weaver wells young
major chase dean hunter more moore forest field fields lee ho so do li le ma ng an wang
booth burns house key keys light gates waters nash park kim song ahn oh han lim cho kang
summers winters spring marks jewel star sunshine destiny precious genesis serenity nova aurora luna
stella hazel willow river ocean harmony melody heaven trinity journey royal kai bo ace
dusty misty penny candy ginger honey brandy sugar cherry olive clementine
amber ash ashley rowan sage scout finn blue
mercedes ferrari porsche
long short strong
bravo noble prince solomon
mora rosa luz sol paz angel cruz reyes santos leon diaz
bean marin vega leon
`;
