/**
 * Word tables for English, French and Spanish. Kept as space-separated strings so the data
 * stays compact and readable; redaction.lexicon.ts turns them into one lookup table.
 */

export const LANG_EN = 1;
export const LANG_FR = 2;
export const LANG_ES = 4;

/** Number-word classes understood by the spoken-number grammar. */
export const NC_UNIT = 1; // 0-9
export const NC_TEEN = 2; // a complete two-digit word: 10-19, veintiuno...
export const NC_TENS = 3; // 20, 30, ... 90 (takes an optional unit)
export const NC_HUNDRED = 4; // multiplier word: hundred, cent, ciento
export const NC_HUNDREDS = 5; // a complete hundreds word: doscientos = 200, cien = 100
export const NC_THOUSAND = 6;
export const NC_OH = 7; // "oh" read as zero
export const NC_DOUBLE = 8;
export const NC_TRIPLE = 9;

/** [word, value, class, languages, ambiguous] — ambiguous words count only next to other numbers. */
export type NumberWordRow = readonly [string, number, number, number, boolean?];

const EN = LANG_EN;
const FR = LANG_FR;
const ES = LANG_ES;

function units(words: string, lang: number, start = 0): NumberWordRow[] {
  return words.split(' ').map((w, i) => [w, start + i, NC_UNIT, lang] as const);
}

export const NUMBER_WORDS: readonly NumberWordRow[] = [
  ...units('zero one two three four five six seven eight nine', EN),
  ['niner', 9, NC_UNIT, EN],
  ['oh', 0, NC_OH, EN, true],
  ...'ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'
    .split(' ')
    .map((w, i) => [w, 10 + i, NC_TEEN, EN] as const),
  ...'twenty thirty forty fifty sixty seventy eighty ninety'
    .split(' ')
    .map((w, i) => [w, 20 + i * 10, NC_TENS, EN] as const),
  ['fourty', 40, NC_TENS, EN],
  ['hundred', 100, NC_HUNDRED, EN],
  ['thousand', 1000, NC_THOUSAND, EN],
  ['double', 2, NC_DOUBLE, EN | FR],
  ['triple', 3, NC_TRIPLE, EN | FR | ES],
  ['doble', 2, NC_DOUBLE, ES],
  ...units('zéro zero', FR, 0).map(([w]) => [w, 0, NC_UNIT, FR] as const),
  ['un', 1, NC_UNIT, FR | ES, true],
  ['une', 1, NC_UNIT, FR, true],
  ...units('deux trois quatre cinq six sept huit neuf', FR, 2),
  ...'dix onze douze treize quatorze quinze seize'
    .split(' ')
    .map((w, i) => [w, 10 + i, NC_TEEN, FR] as const),
  ['vingt', 20, NC_TENS, FR],
  ['vingts', 20, NC_TENS, FR],
  ['trente', 30, NC_TENS, FR],
  ['quarante', 40, NC_TENS, FR],
  ['cinquante', 50, NC_TENS, FR],
  ['soixante', 60, NC_TENS, FR],
  ['cent', 100, NC_HUNDRED, FR, true],
  ['cents', 100, NC_HUNDRED, FR, true],
  ['mille', 1000, NC_THOUSAND, FR],
  ['cero', 0, NC_UNIT, ES],
  ['uno', 1, NC_UNIT, ES],
  ['una', 1, NC_UNIT, ES, true],
  ...units('dos tres cuatro cinco seis siete ocho nueve', ES, 2),
  ...'diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve'
    .split(' ')
    .map((w, i) => [w, 10 + i, NC_TEEN, ES, w === 'once'] as const),
  ['dieciseis', 16, NC_TEEN, ES],
  ...'veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho veintinueve'
    .split(' ')
    .map((w, i) => [w, 20 + i, i === 0 ? NC_TENS : NC_TEEN, ES] as const),
  ['veintiún', 21, NC_TEEN, ES],
  ['veintidos', 22, NC_TEEN, ES],
  ['veintitres', 23, NC_TEEN, ES],
  ['veintiseis', 26, NC_TEEN, ES],
  ...'treinta cuarenta cincuenta sesenta setenta ochenta noventa'
    .split(' ')
    .map((w, i) => [w, 30 + i * 10, NC_TENS, ES] as const),
  ['cien', 100, NC_HUNDREDS, ES],
  ['ciento', 100, NC_HUNDREDS, ES],
  ...'doscientos trescientos cuatrocientos quinientos seiscientos setecientos ochocientos novecientos'
    .split(' ')
    .map((w, i) => [w, 200 + i * 100, NC_HUNDREDS, ES] as const),
  ['mil', 1000, NC_THOUSAND, ES],
];

/** Context categories: words near a number say what the number is. */
export const C_CARD = 1;
export const C_CVV = 2;
export const C_EXP = 4;
export const C_PIN = 8;
export const C_SSN = 16;
export const C_SIN = 32;
export const C_ROUTING = 64;
export const C_ACCOUNT = 128;
export const C_PHONE = 256;
export const C_DOB = 512;
export const C_HEALTH = 1024;
export const C_ZIP = 2048;
export const C_NEG = 4096;
/** Not a word: an already redacted entity. Context is never read past it. */
export const C_WALL = 8192;

export const CONTEXT_WORDS: readonly (readonly [string, number])[] = [
  [
    'card visa mastercard amex discover credit debit carte crédit credito crédito tarjeta débito debito',
    C_CARD,
  ],
  ['cvv cvv2 cvc cvc2 cid csc cvn back dorso reverso verso endos sécurité securite seguridad', C_CVV],
  ['verification vérification verificación verificacion', C_CVV | C_PIN],
  [
    'expiry expiration expires expire expired exp expiring thru valid expiración expiracion vencimiento vence caducidad caduca échéance echeance',
    C_EXP,
  ],
  ['pin pins nip passcode otp clave', C_PIN],
  ['ssn', C_SSN],
  ['sin nas', C_SIN],
  ['routing aba transit tránsito institution', C_ROUTING],
  ['account acct checking chequing savings compte cuenta', C_ACCOUNT],
  [
    'phone telephone cell cellphone mobile callback reach call fax téléphone cellulaire teléfono telefono celular móvil movil',
    C_PHONE,
  ],
  ['birth born dob birthday birthdate naissance née né nacimiento nacido nací naci cumpleaños', C_DOB],
  ['medicare medicaid mbi health member ohip ramq beneficiary santé sante salud maladie', C_HEALTH],
  ['zip postal postcode', C_ZIP],
  [
    'ending ends million millions billion thousands hundreds millón millones order orders ticket tracking confirmation reference ref invoice case serial model sku extension ext press option dollars dollar bucks cents percent minutes minute hours hour seconds days weeks months years items pieces times room flight gate commande billet suivi pedido boleto seguimiento factura dólares dolares pesos euros promo coupon points pounds lbs kg page level version pm am clock heures minutos horas',
    C_NEG,
  ],
];

/** Words whose category depends on their neighbours ("social security", "security code"). */
export const PHRASE_WORDS = 'social security insurance code seguro assurance card carte tarjeta';

export const FILLERS = 'um umm uh uhh uhm er erm ah ahh eh hmm mm mmm euh hum ehm';

/** A number word after these is a quantity ("the last four"), not a digit. */
export const QUANT_BEFORE =
  'last first next final other remaining those these derniers dernières premiers premières prochains últimos ultimos primeros siguientes otros';
/** A number word before these is a quantity ("three digits on the back"). */
export const QUANT_AFTER =
  'digits digit numbers chiffres chiffre dígitos digitos números numeros characters letters';

export const MONTHS: readonly (readonly [string, number])[] = [
  ...'january february march april may june july august september october november december'
    .split(' ')
    .map((w, i) => [w, i + 1] as const),
  ...'jan feb mar apr jun jul aug sep oct nov dec'
    .split(' ')
    .map((w, i) => [w, [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12][i] ?? 0] as const),
  ...'janvier février mars avril mai juin juillet août septembre octobre novembre décembre'
    .split(' ')
    .map((w, i) => [w, i + 1] as const),
  ['fevrier', 2],
  ['aout', 8],
  ['decembre', 12],
  ...'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre'
    .split(' ')
    .map((w, i) => [w, i + 1] as const),
  ['setiembre', 9],
];

export const ORDINALS: readonly (readonly [string, number])[] = [
  ...'first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth'
    .split(' ')
    .map((w, i) => [w, i + 1] as const),
  ['thirtieth', 30],
  ['premier', 1],
  ['première', 1],
  ['primero', 1],
];

export const STREET_SUFFIXES =
  'street st avenue ave av road rd boulevard blvd drive dr lane ln way court ct place pl terrace ter circle cir parkway pkwy highway hwy crescent cres square sq trail trl row loop alley plaza path pike heights hts close grove expressway expy freeway fwy';
/** Street words that come before the name in French and Spanish ("rue Saint-Denis"). */
export const STREET_PREFIXES =
  'rue avenue boulevard boul chemin rang allée allee impasse montée montee côte promenade croissant calle avenida avda camino paseo carrera calzada callejón callejon carretera privada circuito';
export const UNIT_WORDS =
  'apt apartment suite ste unit floor fl bureau app appartement piso departamento depto';

export const AT_WORDS = 'at arroba arobase';
export const DOT_WORDS = 'dot point punto';
export const EMAIL_SEPARATORS: readonly (readonly [string, string])[] = [
  ['underscore', '_'],
  ['dash', '-'],
  ['hyphen', '-'],
  ['tiret', '-'],
  ['guion', '-'],
  ['guión', '-'],
];
export const TLDS =
  'com net org edu gov mil io co ca us uk fr es mx info biz me ai app dev qc ch de be ar cl pe';

/** Words that introduce a person's name. */
export const NAME_TRIGGERS =
  'name names this speaking mr mrs ms miss mister dr madam madame mme mlle monsieur señor senor señora senora sr sra srta appelle llamo nombre nom spelled spell spelling surname lastname firstname prénom prenom apellido holder m';
export const TITLE_WORDS =
  'mr mrs ms miss mister dr madam madame mme mlle monsieur señor senor señora senora sr sra srta';
export const GREETINGS = 'hi hello hey thanks thank dear bonjour merci hola gracias bye goodbye';

/** Acknowledgements and glue words that may separate the pieces of a number read in chunks. */
export const CONTINUATION_WORDS =
  "okay ok yes yeah yep sure so and then next the are is it its it's s that that's alright right go on continue uh-huh mhm got d'accord oui ensuite puis et continuez allez sí si y luego después despues vale bueno siguiente adelante siga los las son es c'est ce sont les numbers digits more rest remaining last ones one";

/** Generic speaker labels that are not person names. */
export const SPEAKER_ROLES =
  'agent customer caller client representative rep speaker spk system bot ivr operator advisor consultant user assistant host guest unknown ch channel a b left right';

/** US state and Canadian province names and postal abbreviations (abbreviations matched uppercase). */
export const REGION_NAMES =
  'alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming ontario quebec québec alberta manitoba saskatchewan yukon nunavut';
export const REGION_CODES =
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC ON QC BC AB MB SK NS NB NL PE YT NT NU';
