// Copies into <dir> (one PEM file each) the certificate authorities the host trusts beyond Debian's
// ca-certificates set: on machines whose HTTPS goes through an intercepting proxy (the npm registry
// here), images need them too. Usage: node host-cas.mjs <host bundle> <debian certs dir> <out dir>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [bundle, debianDir, outDir] = process.argv.slice(2);
const pems = (text) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
const body = (pem) => pem.replace(/\s+/g, '');

const known = new Set();
for (const sub of readdirSync(debianDir, { withFileTypes: true })) {
  if (!sub.isDirectory()) continue;
  for (const file of readdirSync(join(debianDir, sub.name))) {
    for (const pem of pems(readFileSync(join(debianDir, sub.name, file), 'utf8'))) known.add(body(pem));
  }
}
mkdirSync(outDir, { recursive: true });
const extra = pems(readFileSync(bundle, 'utf8')).filter((pem) => !known.has(body(pem)));
for (const [index, pem] of extra.entries()) {
  writeFileSync(join(outDir, `kiln-e2e-host-${index + 1}.crt`), `${pem}\n`);
}
console.log(extra.length);
