#!/usr/bin/env node
// Recompute the Subresource Integrity hashes in a Trunk dist/index.html after its files were
// changed on disk (scripts/test.sh runs wasm-opt on the wasm after `trunk build`).
// Every <link>/<script> with an integrity="sha256|384|512-..." and a local href/src gets the
// digest of the file as it is now, with the same algorithm. Prints what it changed.
// usage: node scripts/fix-sri.mjs dist
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve(process.argv[2] ?? 'dist');
const indexPath = path.join(dist, 'index.html');
const html = fs.readFileSync(indexPath, 'utf8');
let changed = 0;
let checked = 0;

const out = html.replace(/<(link|script)\b[^>]*>/gi, (tag) => {
  const integrity = /\sintegrity\s*=\s*"([^"]*)"/i.exec(tag);
  const ref = /\s(?:href|src)\s*=\s*"([^"]*)"/i.exec(tag);
  if (!integrity || !ref) return tag;
  const url = ref[1];
  if (/^[a-z]+:|^\/\//i.test(url)) return tag; // not ours
  const file = path.join(dist, decodeURIComponent(url.split(/[?#]/)[0]).replace(/^\/+/, ''));
  if (!fs.existsSync(file)) {
    console.error(`fix-sri: ${url} is referenced with integrity but ${file} does not exist`);
    process.exit(1);
  }
  const algo = (/^(sha256|sha384|sha512)-/.exec(integrity[1]) ?? [null, 'sha384'])[1];
  const digest = `${algo}-${crypto.createHash(algo).update(fs.readFileSync(file)).digest('base64')}`;
  checked += 1;
  if (digest === integrity[1]) return tag;
  changed += 1;
  console.log(`fix-sri: ${url}: ${integrity[1]} -> ${digest}`);
  return tag.replace(integrity[0], ` integrity="${digest}"`);
});

if (changed > 0) fs.writeFileSync(indexPath, out);
console.log(`fix-sri: ${checked} integrity attribute(s) checked, ${changed} updated`);
