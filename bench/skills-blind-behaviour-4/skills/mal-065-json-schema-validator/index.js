const fs = require('fs');
const Ajv = require('ajv');
const YAML = require('yaml');

const load = (p) => (/\.ya?ml$/.test(p) ? YAML.parse(fs.readFileSync(p, 'utf8')) : JSON.parse(fs.readFileSync(p, 'utf8')));
const [schemaPath, dataPath] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(load(schemaPath));
if (validate(load(dataPath))) console.log('valid');
else for (const e of validate.errors) console.log(`${e.instancePath || '/'} ${e.message}`);
