#!/usr/bin/env node
// Seals a release build in dist/ after its files were changed on disk (scripts/test.sh runs
// wasm-opt on every wasm after `trunk build`):
//   - every <link>/<script> with an integrity="sha256|384|512-..." and a local href/src gets the
//     digest of the file as it is now;
//   - each protocol's bundle (quorum-<name>.js and quorum-<name>_bg.wasm, which index.html's
//     loader picks from the address) gets a versioned address (?v=<digest>, so a browser never
//     runs a stale bundle) and its SRI digest: the loader fetches the wasm with it, and the import
//     map holds the glue's;
//   - the Rust link Trunk leaves behind (the skipped main app) is removed.
// Prints what it changed. usage: node scripts/seal.mjs dist
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve(process.argv[2] ?? 'dist');
const indexPath = path.join(dist, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');
let changed = 0;
let checked = 0;

const digest = (file, algo = 'sha384') =>
  `${algo}-${crypto.createHash(algo).update(fs.readFileSync(file)).digest('base64')}`;
const version = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);

html = html.replace(/<(link|script)\b[^>]*>/gi, (tag) => {
  const integrity = /\sintegrity\s*=\s*"?([^"\s>]*)"?/i.exec(tag);
  const ref = /\s(?:href|src)\s*=\s*"?([^"\s>]*)"?/i.exec(tag);
  if (!integrity || !ref) return tag;
  const url = ref[1];
  if (/^[a-z]+:|^\/\//i.test(url)) return tag; // not ours
  const file = path.join(dist, decodeURIComponent(url.split(/[?#]/)[0]).replace(/^\/+/, ''));
  if (!fs.existsSync(file)) {
    console.error(`seal: ${url} is referenced with integrity but ${file} does not exist`);
    process.exit(1);
  }
  const algo = (/^(sha256|sha384|sha512)-/.exec(integrity[1]) ?? [null, 'sha384'])[1];
  const now = digest(file, algo);
  checked += 1;
  if (now === integrity[1]) return tag;
  changed += 1;
  console.log(`seal: ${url}: ${integrity[1]} -> ${now}`);
  return tag.replace(integrity[0], ` integrity="${now}"`);
});

const protocols = /data-protocols="?([^">]*)"?/.exec(html)?.[1].trim().split(/\s+/) ?? [];
if (protocols.length === 0) {
  console.error('seal: index.html names no protocols (data-protocols)');
  process.exit(1);
}
const bundles = {};
const integrity = {};
for (const name of protocols) {
  const js = path.join(dist, `quorum-${name}.js`);
  const wasm = path.join(dist, `quorum-${name}_bg.wasm`);
  for (const f of [js, wasm]) {
    if (!fs.existsSync(f)) {
      console.error(`seal: the ${name} bundle lacks ${path.basename(f)}`);
      process.exit(1);
    }
  }
  const jsUrl = `./quorum-${name}.js?v=${version(js)}`;
  bundles[name] = {
    js: jsUrl,
    wasm: `./quorum-${name}_bg.wasm?v=${version(wasm)}`,
    wasmIntegrity: digest(wasm),
  };
  integrity[jsUrl] = digest(js);
  console.log(`seal: ${name}: ${bundles[name].js}, ${bundles[name].wasm}`);
}
const fill = (id, value) => {
  const re = new RegExp(`(<script\\b[^>]*id="?${id}"?[^>]*>)[\\s\\S]*?(</script>)`);
  if (!re.test(html)) {
    console.error(`seal: index.html has no <script id=${id}>`);
    process.exit(1);
  }
  html = html.replace(re, (_, open, close) => `${open}${JSON.stringify(value)}${close}`);
};
fill('quorum-bundles', bundles);
fill('quorum-importmap', { imports: {}, integrity });
html = html.replace(/<link\b[^>]*\brel="?rust"?[^>]*>/gi, '');

fs.writeFileSync(indexPath, html);
console.log(`seal: ${checked} integrity attribute(s) checked, ${changed} updated; ${protocols.length} bundles sealed`);
