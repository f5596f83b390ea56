// Validates rendered Kubernetes manifests (multi-document YAML files given as arguments) against the
// schemas of kubernetes-models (Kubernetes 1.3x) and of the Traefik and Istio CRDs. Prints one line per
// object; exits 1 when any object is invalid or of a kind without a schema here.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The module holding the model of an apiVersion. */
function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}`;
  if (group === 'traefik.io') return `@kubernetes-models/traefik/${group}/${version}`;
  if (group.endsWith('.istio.io')) return `@kubernetes-models/istio/${group}/${version}`;
  return `kubernetes-models/${group}/${version}`;
}

let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length) {
      console.log(`FAIL ${file}: not YAML: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (!object) continue;
    const name = `${file}: ${object.kind}/${object.metadata?.name}`;
    let Model;
    try {
      Model = (await import(modulePath(object.apiVersion)))[object.kind];
    } catch (e) {
      Model = undefined;
    }
    if (!Model) {
      console.log(`FAIL ${name}: no schema for ${object.apiVersion} ${object.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`ok   ${name}`);
    } catch (e) {
      console.log(`FAIL ${name}: ${e.message}`);
      failures++;
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
