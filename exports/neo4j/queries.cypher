// Cypher over a graph loaded by import.sh (Neo4j 5+). Each query is one
// statement ending in `;`, with its parameters named in the header line.
// The test suite runs them on LadybugDB (an embedded Cypher engine), where
// the two marked lines of the trace query are written in its dialect:
// `is_acyclic(p)`, and negated claims filtered inside the pattern.

// query: trace (parameters: $from, $to)
// What `claimgraph trace FROM TO --max-hops 6` enumerates: the simple paths
// (no entity twice) along non-negated claims. One row per combination of
// claims: parallel claims between the same two entities give one row each,
// where trace groups them into one hop. Ranking, net sign, weakest link,
// conflicts and context changes are claimgraph's, not Cypher's.
MATCH p = (a:Entity {id: $from})-[:CLAIM*1..6]->(b:Entity {id: $to})
WHERE none(c IN relationships(p) WHERE c.negated) // not negated
  AND all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n)) // simple path
RETURN nodes(p) AS entities, relationships(p) AS claims, length(p) AS hops
ORDER BY hops;

// query: neighbours (parameters: $id)
// The claims one step from an entity, both directions, negated ones included.
MATCH (a:Entity {id: $id})-[c:CLAIM]->(b:Entity)
RETURN 'out' AS direction, b.id AS neighbour, b.name AS name, c.id AS claim,
       c.predicate AS predicate, c.negated AS negated, c.references AS references
UNION ALL
MATCH (a:Entity {id: $id})<-[c:CLAIM]-(b:Entity)
RETURN 'in' AS direction, b.id AS neighbour, b.name AS name, c.id AS claim,
       c.predicate AS predicate, c.negated AS negated, c.references AS references;

// query: reference (parameters: $reference)
// The claims a reference supports, with the evidence it gave.
MATCH (r:Reference {id: $reference})
MATCH (a:Entity)-[c:CLAIM]->(b:Entity)
WHERE r.id IN c.references
RETURN r.title AS title, a.id AS subject, c.predicate AS predicate, b.id AS object,
       c.id AS claim, c.negated AS negated, c.evidence_reference AS cited,
       c.evidence_summary AS summaries
ORDER BY claim;
