#!/bin/sh
# Load this directory, written by `claimgraph export --format neo4j`, into a
# new Neo4j database (Neo4j 5 or later, Community or Enterprise). Stop the
# database first; neo4j-admin refuses to overwrite one that exists unless
# you add --overwrite-destination=true.
#
# Usage: ./import.sh [DATABASE]        (default: neo4j; neo4j-admin on PATH)
#
# Arrays (aliases, xrefs, authors, references, evidence_*) are separated by
# U+001F, because `;` and `|` occur in names and summaries. Line breaks inside
# texts were written as U+2028, so no record spans two lines.
set -eu
cd "$(dirname "$0")"
#
# The database name comes first: from Neo4j 5.19 a name after --nodes or
# --relationships is read as one more CSV file.
exec neo4j-admin database import full "${1:-neo4j}" \
  --nodes=entities.csv \
  --nodes=references.csv \
  --relationships=claims.csv \
  --array-delimiter=U+001F \
  --legacy-style-quoting=false
