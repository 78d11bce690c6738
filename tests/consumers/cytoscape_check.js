// Check `claimgraph export --format cytoscape` with Cytoscape.js under Node.
//
// Usage: node cytoscape_check.js EXPORT.json GRAPH.json EXPECT.json
//
// Cytoscape.js (headless, styles on) loads the export's elements; every
// selected entity must come back as a node with its name, kind, aliases and
// xrefs, every selected claim as its own edge between the right nodes with
// predicate, sign, negation, certainty, citations and evidence (each item's
// citation holding its reference's title) equal to the graph file's (read here, independently of claimgraph). Then it renders
// what a headless core can: a breadthfirst layout gives every node a finite
// position, and a stylesheet resolves each node's label from `data(name)`
// and selects the negated edges by class.
//
// Exits non-zero with a message on the first difference.
'use strict';

const fs = require('fs');
let cytoscape;
try {
  cytoscape = require('cytoscape');
} catch (e) {
  console.error(`missing Cytoscape.js (${e.message}): npm ci --prefix tests/consumers`);
  process.exit(2);
}

function fail(message) {
  console.error(`cytoscape_check: ${message}`);
  process.exit(1);
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function main([exportFile, graphFile, expectFile]) {
  const doc = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
  const graph = JSON.parse(fs.readFileSync(graphFile, 'utf8'));
  const expect = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
  // Sets, not Array.includes: that was quadratic, minutes at 100k claims.
  const selectedEntities = new Set(expect.entities);
  const selectedClaims = new Set(expect.claims);
  const entities = new Map(graph.entities.filter((e) => selectedEntities.has(e.id)).map((e) => [e.id, e]));
  const claims = new Map(graph.claims.filter((c) => selectedClaims.has(c.id)).map((c) => [c.id, c]));
  const titles = new Map((graph.references || []).map((r) => [r.id, r.title || '']));

  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    elements: doc.elements,
    style: [
      { selector: 'node', style: { label: 'data(name)' } },
      { selector: 'edge', style: { label: 'data(label)', 'curve-style': 'bezier' } },
      { selector: 'edge.negated', style: { 'line-color': '#D55E00' } },
    ],
  });

  if (cy.nodes().length !== entities.size) fail(`${cy.nodes().length} nodes for ${entities.size} entities`);
  cy.nodes().forEach((n) => {
    const e = entities.get(n.id());
    if (!e) fail(`node ${n.id()} is not a selected entity`);
    const have = [n.data('name'), n.data('kind'), n.data('aliases') || [], n.data('xrefs') || [], n.data('description')];
    const want = [e.name, e.kind, e.aliases || [], e.xrefs || [], e.description];
    if (!same(have, want)) fail(`entity ${e.id}: ${JSON.stringify(have)} != ${JSON.stringify(want)}`);
  });

  if (cy.edges().length !== claims.size) fail(`${cy.edges().length} edges for ${claims.size} claims`);
  cy.edges().forEach((edge) => {
    const d = edge.data();
    const c = claims.get(d.claim);
    if (!c) fail(`edge ${edge.id()} is not a selected claim`);
    const refs = [...new Set((c.evidence || []).map((ev) => ev.reference))];
    const have = [edge.source().id(), edge.target().id(), d.predicate, d.negated, d.certainty, d.references || []];
    const want = [c.subject, c.object, c.predicate, c.negated || false, c.certainty, refs];
    if (!same(have, want)) fail(`claim ${c.id}: ${JSON.stringify(have)} != ${JSON.stringify(want)}`);
    if (!['+', '-', 'none'].includes(d.sign)) fail(`claim ${c.id}: sign ${d.sign}`);
    if ((d.citations || []).length !== refs.length) fail(`claim ${c.id}: ${d.citations} for references ${refs}`);
    const keys = ['reference', 'summary', 'study', 'species', 'model', 'tissue', 'condition', 'quote', 'locator'];
    const pick = (ev) => keys.map((k) => ev[k] || null);
    if (!same((d.evidence || []).map(pick), (c.evidence || []).map(pick))) fail(`claim ${c.id}: evidence differs`);
    // Each item's citation holds its reference's title as written.
    (d.evidence || []).forEach((ev) => {
      if (!(ev.citation || '').includes(titles.get(ev.reference))) {
        fail(`claim ${c.id}: citation ${JSON.stringify(ev.citation)} lacks the title ${JSON.stringify(titles.get(ev.reference))}`);
      }
    });
    if (edge.hasClass('negated') !== (c.negated || false)) fail(`claim ${c.id}: class "negated" is wrong`);
  });

  // No `fit`: fitting the viewport measures every element's bounding box,
  // which with bezier edges recomputes each edge's parallel edges (at 100k
  // claims most of the check's CPU time); it moves the camera, not a node.
  cy.layout({ name: 'breadthfirst', directed: true, fit: false }).run();
  cy.nodes().forEach((n) => {
    const p = n.position();
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) fail(`node ${n.id()} has no position after layout`);
    if (n.style('label') !== n.data('name')) fail(`node ${n.id()} renders label ${n.style('label')}`);
  });
  const negated = [...claims.values()].filter((c) => c.negated).length;
  if (cy.$('edge.negated').length !== negated) fail(`stylesheet selects ${cy.$('edge.negated').length} negated edges, not ${negated}`);
  console.log(`cytoscape_check: ${cy.nodes().length} nodes, ${cy.edges().length} edges loaded, laid out and styled by Cytoscape.js ${cytoscape.version}`);
}

if (process.argv.length !== 5) {
  console.error('usage: node cytoscape_check.js EXPORT.json GRAPH.json EXPECT.json');
  process.exit(2);
}
main(process.argv.slice(2));
// Cytoscape keeps a render timer alive even when headless.
process.exit(0);
