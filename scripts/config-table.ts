// Prints the README's configuration table from the settings list (npm run docs:config).
import { SETTINGS } from '../src/config/config.settings.ts';

console.log('| Variable | Config file key | Default | Description |');
console.log('| --- | --- | --- | --- |');
for (const s of SETTINGS) {
  const secret = s.secret ? ' **Secret.**' : '';
  console.log(
    `| \`${s.env}\` | \`${s.path.join('.')}\` | ${s.defaultText ?? '(unset)'} | ${s.description}${secret} |`,
  );
}
