// Render `claimgraph export --format mermaid` with Mermaid's own CLI (mmdc,
// `@mermaid-js/mermaid-cli`) in Debian's Chromium, and read the SVG it draws.
//
// Usage: node mermaid_render.mjs EXPORT.mmd GRAPH.json EXPECT.json
//
// mermaid_check.mjs asks Mermaid's parser what it understood; this asks the
// renderer what a reader sees. mmdc runs as a program (`mmdc -p
// puppeteer-config.json`, the config pointing puppeteer at /usr/bin/chromium
// with --no-sandbox, so nothing is downloaded), then jsdom reads its SVG:
// - one laid-out node per selected entity (finite coordinates), its label
//   the entity's name as the page shows it (<br> read as a line break);
// - one drawn edge per flowchart link, with a path Chromium computed;
// - for each selected claim, an edge between its entities' nodes whose
//   arrowhead marker and line pattern say its effect (EXPECT.json
//   `effects`), whose label has a line starting with its predicate ("NOT "
//   when negated) and its citations (EXPECT.json `citations`), and, when
//   negated, the vermillion stroke.
//
// Exits 2 when mmdc, jsdom or Chromium is missing (an install hint, never a
// pass), 1 with a message on the first difference.
import fs from 'node:fs';
import { byEnds } from './by_ends.mjs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function fail(message) {
  console.error(`mermaid_render: ${message}`);
  process.exit(1);
}

function missing(message) {
  console.error(`missing Mermaid renderer: ${message}`);
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const mmdc = path.join(here, 'node_modules', '.bin', 'mmdc');
const puppeteerConfig = path.join(here, 'puppeteer-config.json');
const chromium = JSON.parse(fs.readFileSync(puppeteerConfig, 'utf8')).executablePath;
if (!fs.existsSync(mmdc)) missing('no mmdc: PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/consumers');
if (!fs.existsSync(chromium)) missing(`no ${chromium}: apt-get install chromium`);
let JSDOM;
try {
  ({ JSDOM } = await import('jsdom'));
} catch (e) {
  missing(`${e.message}: npm ci --prefix tests/consumers`);
}

const [exportFile, graphFile, expectFile] = process.argv.slice(2);
if (!expectFile) {
  console.error('usage: node mermaid_render.mjs EXPORT.mmd GRAPH.json EXPECT.json');
  process.exit(2);
}
const graph = JSON.parse(fs.readFileSync(graphFile, 'utf8'));
const expect = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
// Sets, not Array.includes (quadratic at 100k claims).
const selectedEntities = new Set(expect.entities);
const selectedClaims = new Set(expect.claims);

/// mmdc's SVG of the export (Mermaid's default limits unless EXPECT.json
/// lifts them for a generated graph).
function render() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mermaid-render-'));
  const svg = path.join(tmp, 'out.svg');
  const args = ['-p', puppeteerConfig, '-i', exportFile, '-o', svg, '--quiet'];
  if (expect.mermaid_max_edges) {
    const config = path.join(tmp, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ maxEdges: expect.mermaid_max_edges, maxTextSize: 1e9 }));
    args.push('-c', config);
  }
  const run = spawnSync(mmdc, args, { encoding: 'utf8', timeout: 600_000 });
  // Read what mmdc drew and remove the directory before judging: fail() and
  // missing() exit at once, skipping any `finally`.
  const text = run.status === 0 ? fs.readFileSync(svg, 'utf8') : null;
  fs.rmSync(tmp, { recursive: true, force: true });
  if (run.error) missing(`cannot run mmdc (${run.error.message})`);
  if (run.status !== 0) fail(`mmdc failed (exit ${run.status}): ${run.stderr.trim()}`);
  return text;
}

const svgText = render();
const dom = new JSDOM(svgText, { contentType: 'image/svg+xml' });
const doc = dom.window.document;
if (doc.querySelector('parsererror')) fail('mmdc wrote an SVG that is not well-formed XML');
if (/Syntax error/i.test(doc.documentElement.textContent)) fail('mmdc drew its syntax-error picture');

/// A label as the page shows it: HTML line breaks become newlines.
function labelText(element) {
  const copy = element.cloneNode(true);
  for (const br of copy.querySelectorAll('br')) br.replaceWith('\n');
  return copy.textContent;
}

const finite = (text) => !/NaN|Infinity/.test(text ?? '');

// Nodes: `<g class="node …" id="flowchart-n3-7" transform="translate(x, y)">`.
const nodeOf = new Map();
const nodes = [...doc.querySelectorAll('g.node')];
for (const g of nodes) {
  const id = /^flowchart-(n\d+)-\d+$/.exec(g.getAttribute('id') ?? '')?.[1];
  if (!id) fail(`node without a generated id: ${g.getAttribute('id')}`);
  if (!/translate\(/.test(g.getAttribute('transform') ?? '') || !finite(g.getAttribute('transform'))) {
    fail(`node ${id} was not laid out: transform=${g.getAttribute('transform')}`);
  }
  nodeOf.set(labelText(g), id);
}
const entities = graph.entities.filter((e) => selectedEntities.has(e.id));
if (nodes.length !== entities.length) fail(`${nodes.length} nodes drawn for ${entities.length} entities`);
const entityNode = new Map();
for (const e of entities) {
  const name = e.name.replace(/\r/g, '');
  if (!nodeOf.has(name)) fail(`entity ${e.id}: no drawn node reads ${JSON.stringify(name)}`);
  entityNode.set(e.id, nodeOf.get(name));
}

// Edges: `<path class="… flowchart-link" data-id="L_n1_n0_0" d="…" marker-end="url(#…-pointEnd)">`
// and their labels `<g class="label" data-id="L_n1_n0_0">`.
const labels = new Map();
for (const g of doc.querySelectorAll('g.edgeLabel g.label[data-id]')) labels.set(g.getAttribute('data-id'), labelText(g));
const edges = [...doc.querySelectorAll('path.flowchart-link')].map((p) => {
  const id = p.getAttribute('data-id') ?? p.getAttribute('id');
  const [, start, end] = /^L_(n\d+)_(n\d+)_\d+$/.exec(id) ?? fail(`edge with an unexpected id ${id}`);
  if (!p.getAttribute('d') || !finite(p.getAttribute('d'))) fail(`edge ${id} has no drawn path`);
  // A styled link's marker is a coloured copy: `…-crossEnd__D55E00`.
  const marker = /-(point|cross|circle)End(?:_[^)]*)?\)/.exec(p.getAttribute('marker-end') ?? '')?.[1];
  const dotted = p.classList.contains('edge-pattern-dotted');
  return { id, start, end, marker, dotted, style: p.getAttribute('style') ?? '', label: labels.get(id) ?? '' };
});
const between = byEnds(edges, (e) => [e.start, e.end]);
const links = fs.readFileSync(exportFile, 'utf8').split('\n').filter((l) => /^\s+n\d+ \S+\|"/.test(l)).length;
if (edges.length !== links) fail(`${edges.length} edges drawn for the flowchart's ${links} links`);

const ARROWS = {
  increases: ['point', false],
  decreases: ['cross', false],
  correlates_positively: ['point', true],
  correlates_negatively: ['cross', true],
  unsigned: ['circle', true],
};
for (const c of graph.claims.filter((c) => selectedClaims.has(c.id))) {
  const [marker, dotted] = ARROWS[expect.effects[c.id]];
  const words = `${c.negated ? 'NOT ' : ''}${c.predicate.replace(/_/g, ' ')}`;
  const edge = (between.get(`${entityNode.get(c.subject)} ${entityNode.get(c.object)}`) ?? []).find(
    (e) => e.marker === marker
      && e.dotted === dotted && e.label.split('\n').some((line) => line.startsWith(words)),
  );
  if (!edge) fail(`claim ${c.id}: no drawn ${marker}${dotted ? ' dotted' : ''} edge labelled "${words}" between its entities`);
  for (const cite of expect.citations[c.id]) {
    if (!edge.label.includes(cite)) fail(`claim ${c.id}: drawn label ${JSON.stringify(edge.label)} lacks ${JSON.stringify(cite)}`);
  }
  if (c.negated && !/stroke:\s*#D55E00/i.test(edge.style)) fail(`claim ${c.id}: negated edge is not drawn vermillion`);
}
console.log(`mermaid_render: mmdc drew ${nodes.length} nodes and ${edges.length} edges (${svgText.length} bytes of SVG)`);
