// Check `claimgraph export --format mermaid` with Mermaid's own parser.
//
// Usage: node mermaid_check.mjs EXPORT.mmd GRAPH.json EXPECT.json
//
// Mermaid needs a DOM even to parse (DOMPurify), so jsdom provides one. The
// flowchart must parse; its nodes, read back from Mermaid's flowchart model,
// must be exactly the selected entities with their names intact once
// Mermaid's own entity codes (`#quot;` → `&quot;`) and HTML are decoded as
// the renderer does; and each selected claim must have an edge between its
// entities whose arrow matches its effect (EXPECT.json `effects`), whose
// label has its predicate ("NOT " when negated) and its citations
// (EXPECT.json `citations`), and, when negated, the vermillion link style.
//
// Exits non-zero with a message on the first difference.
import fs from 'node:fs';
import { byEnds } from './by_ends.mjs';

function fail(message) {
  console.error(`mermaid_check: ${message}`);
  process.exit(1);
}

let JSDOM, mermaid;
try {
  ({ JSDOM } = await import('jsdom'));
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  ({ default: mermaid } = await import('mermaid'));
} catch (e) {
  console.error(`missing Mermaid or jsdom (${e.message}): npm ci --prefix tests/consumers`);
  process.exit(2);
}

/// What a reader sees: Mermaid's decodeEntities, then the HTML label.
function shown(text) {
  const html = text.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';').replace(/<br\s*\/?>/g, '\n');
  const div = document.createElement('div');
  div.innerHTML = html;
  if (div.children.length) fail(`label ${JSON.stringify(text)} would render as markup`);
  return div.textContent;
}

const ARROWS = {
  increases: ['arrow_point', 'normal'],
  decreases: ['arrow_cross', 'normal'],
  correlates_positively: ['arrow_point', 'dotted'],
  correlates_negatively: ['arrow_cross', 'dotted'],
  unsigned: ['arrow_circle', 'dotted'],
};

const [exportFile, graphFile, expectFile] = process.argv.slice(2);
if (!expectFile) {
  console.error('usage: node mermaid_check.mjs EXPORT.mmd GRAPH.json EXPECT.json');
  process.exit(2);
}
const text = fs.readFileSync(exportFile, 'utf8');
const graph = JSON.parse(fs.readFileSync(graphFile, 'utf8'));
const expect = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
// Sets, not Array.includes (quadratic at 100k claims).
const selectedEntities = new Set(expect.entities);
const selectedClaims = new Set(expect.claims);

// GitHub renders with Mermaid's default limits; a generated graph's test
// lifts them (EXPECT.json `mermaid_max_edges`) to check the syntax at scale.
if (expect.mermaid_max_edges) {
  mermaid.initialize({ startOnLoad: false, maxEdges: expect.mermaid_max_edges, maxTextSize: 1e9 });
} else {
  mermaid.initialize({ startOnLoad: false });
  if (text.length > 50000) fail(`${text.length} characters: Mermaid's default maxTextSize (50000) refuses it`);
}
// One parse: `mermaid.parse` is this same call (after reading directives,
// which the export has none of), and Mermaid's flowchart parser is quadratic
// in edges (addVertex scans every edge so far), so a second parse of a
// 100k-claim flowchart cost minutes.
let diagram;
try {
  diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
} catch (e) {
  fail(`Mermaid cannot parse the flowchart: ${e.message}`);
}
const vertices = diagram.db.getVertices();
const byName = new Map();
for (const [id, v] of vertices) byName.set(shown(v.text), id);
const entities = graph.entities.filter((e) => selectedEntities.has(e.id));
if (vertices.size !== entities.length) fail(`${vertices.size} nodes for ${entities.length} entities`);
const nodeOf = new Map();
for (const e of entities) {
  const name = e.name.replace(/\r/g, '');
  if (!byName.has(name)) fail(`entity ${e.id}: no node shows ${JSON.stringify(name)}`);
  nodeOf.set(e.id, byName.get(name));
}
const edges = diagram.db.getEdges();
const between = byEnds(edges, (e) => [e.start, e.end]);
for (const c of graph.claims.filter((c) => selectedClaims.has(c.id))) {
  const [type, stroke] = ARROWS[expect.effects[c.id]];
  const words = `${c.negated ? 'NOT ' : ''}${c.predicate.replace(/_/g, ' ')}`;
  const edge = (between.get(`${nodeOf.get(c.subject)} ${nodeOf.get(c.object)}`) ?? []).find(
    (e) => e.type === type && e.stroke === stroke
      && shown(e.text).split('\n').some((line) => line.startsWith(words)),
  );
  if (!edge) fail(`claim ${c.id}: no ${type}/${stroke} edge labelled "${words}" between its entities`);
  const label = shown(edge.text);
  for (const cite of expect.citations[c.id]) {
    if (!label.includes(cite)) fail(`claim ${c.id}: edge label ${JSON.stringify(label)} lacks the citation ${JSON.stringify(cite)}`);
  }
  if (c.negated && !(edge.style || []).some((s) => s.includes('#D55E00'))) fail(`claim ${c.id}: negated edge is not styled`);
}
console.log(`mermaid_check: ${vertices.size} nodes, ${edges.length} edges parsed by Mermaid ${mermaid.version ?? ''}`.trim());
process.exit(0);
