#!/usr/bin/env python3
"""Writes examples/knowledge_graph.jsonl, the example graph `graphstore demo` loads.

A small research world: people who work for companies and author papers, papers
that cite each other and are about topics, companies and people located in
cities. Every entity carries a 16-dimensional embedding built so that related
things are close: topics of one field share a direction, a paper sits near its
topics, a person near their papers, a company near its industry's field.

The output is deterministic (fixed seed, no dict-order or clock dependence):
running this script again must reproduce the committed file byte for byte.
The demo relies on a few fixed ids documented in examples/README.md.

    python3 examples/generate_knowledge_graph.py [OUTPUT]
"""

import datetime
import json
import math
import random
import sys
from pathlib import Path

SEED = 20251209
DIM = 16
BASE_TIME = datetime.datetime(2025, 12, 9, 10, 0, 0)

# Fields of research: each has a direction in embedding space and its topics.
FIELDS = {
    "ai": [
        ("Knowledge Graphs", "Graph-structured knowledge bases, entity linking and knowledge graph embeddings."),
        ("Machine Learning", "Statistical learning from data: supervised, unsupervised and reinforcement learning."),
        ("Deep Learning", "Neural networks with many layers trained by gradient descent."),
        ("Natural Language Processing", "Language models, parsing, translation and text understanding."),
        ("Graph Neural Networks", "Message passing neural networks that learn over graph structure."),
        ("Computer Vision", "Image recognition, detection and segmentation with neural networks."),
    ],
    "systems": [
        ("Databases", "Storage engines, query processing, indexing and transactions."),
        ("Distributed Systems", "Replication, consensus and fault tolerance across many machines."),
        ("Graph Databases", "Storage and query engines for property graphs and knowledge graphs."),
        ("Operating Systems", "Kernels, scheduling, memory management and file systems."),
        ("Computer Networks", "Routing, congestion control and network protocols."),
    ],
    "life": [
        ("Genomics", "Sequencing, assembly and analysis of genomes."),
        ("Drug Discovery", "Finding and optimising molecules that become medicines."),
        ("Protein Structure", "Predicting and analysing the folded structure of proteins."),
        ("Epidemiology", "How diseases spread through populations and how to contain them."),
        ("Neuroscience", "The structure and function of the nervous system and the brain."),
    ],
    "energy": [
        ("Climate Modeling", "Simulating the climate system and projecting its change."),
        ("Renewable Energy", "Solar, wind and storage technologies for a low-carbon grid."),
        ("Battery Chemistry", "Electrode materials and electrolytes for energy storage."),
        ("Quantum Computing", "Qubits, quantum algorithms and error correction."),
    ],
    "society": [
        ("Economics", "Markets, incentives and the allocation of scarce resources."),
        ("Public Health", "Policies and programmes that keep populations healthy."),
        ("Urban Planning", "Designing cities, transport and housing."),
        ("Digital Privacy", "Protecting personal data, anonymisation and data protection law."),
        ("Education Technology", "Software and methods that support teaching and learning."),
    ],
}

INDUSTRIES = {
    "ai": ["AI Research", "Software"],
    "systems": ["Cloud Infrastructure", "Databases"],
    "life": ["Biotechnology", "Pharmaceuticals"],
    "energy": ["Energy", "Climate Tech"],
    "society": ["Consulting", "Public Sector"],
}

CITIES = [
    ("Berlin", "Germany", 3645000, "europe"), ("Paris", "France", 2148000, "europe"),
    ("London", "United Kingdom", 8982000, "europe"), ("Amsterdam", "Netherlands", 872000, "europe"),
    ("Zurich", "Switzerland", 421000, "europe"), ("Stockholm", "Sweden", 975000, "europe"),
    ("Barcelona", "Spain", 1620000, "europe"), ("Warsaw", "Poland", 1790000, "europe"),
    ("Vienna", "Austria", 1897000, "europe"),
    ("New York", "United States", 8336000, "americas"), ("San Francisco", "United States", 815000, "americas"),
    ("Boston", "United States", 675000, "americas"), ("Seattle", "United States", 737000, "americas"),
    ("Toronto", "Canada", 2794000, "americas"), ("Montreal", "Canada", 1762000, "americas"),
    ("Sao Paulo", "Brazil", 12330000, "americas"), ("Mexico City", "Mexico", 9209000, "americas"),
    ("Tokyo", "Japan", 13960000, "asia"), ("Seoul", "South Korea", 9776000, "asia"),
    ("Singapore", "Singapore", 5686000, "asia"), ("Bangalore", "India", 8443000, "asia"),
    ("Shenzhen", "China", 12590000, "asia"), ("Sydney", "Australia", 5312000, "asia"),
    ("Tel Aviv", "Israel", 460000, "asia"), ("Nairobi", "Kenya", 4397000, "asia"),
]

FIRST_NAMES = [
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Dennis",
    "Radia", "Ken", "Katherine", "Tim", "Shafi", "Leslie", "Sophie", "Yoshua", "Fei", "Andrew",
    "Daphne", "Judea", "Cynthia", "Silvio", "Hedy", "Claude", "Maryam", "Ravi", "Amara", "Jonas",
    "Ingrid", "Mateo", "Priya", "Kenji", "Lucia", "Omar", "Elena", "Tomasz", "Aisha", "Henrik",
]
LAST_NAMES = [
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Hamilton",
    "Ritchie", "Perlman", "Thompson", "Johnson", "Berners-Lee", "Goldwasser", "Lamport", "Wilson",
    "Bengio", "Li", "Ng", "Koller", "Pearl", "Dwork", "Micali", "Lamarr", "Shannon", "Mirzakhani",
    "Kannan", "Okafor", "Lindqvist", "Moreno", "Sharma", "Tanaka", "Rossi", "Haddad", "Petrova",
    "Nowak", "Bello", "Larsen", "Fischer",
]
TITLES = ["Research Scientist", "Professor", "PhD Student", "Staff Engineer", "Data Scientist",
          "Postdoctoral Researcher", "Principal Investigator", "Software Engineer"]
COMPANY_WORDS_A = ["Helix", "Quanta", "Northwind", "Lumen", "Cobalt", "Aurora", "Vertex", "Meridian",
                   "Nimbus", "Atlas", "Beacon", "Cinder", "Delta", "Ember", "Fathom", "Granite"]
COMPANY_WORDS_B = {
    "ai": ["Analytics", "AI", "Labs"], "systems": ["Systems", "Data", "Networks"],
    "life": ["Bio", "Therapeutics", "Genomics"], "energy": ["Energy", "Power", "Climate"],
    "society": ["Partners", "Policy", "Works"],
}
VENUES = {
    "ai": ["NeurIPS", "ICML", "ACL", "ISWC"],
    "systems": ["VLDB", "SIGMOD", "OSDI", "NSDI"],
    "life": ["Nature Methods", "Bioinformatics", "Cell Systems"],
    "energy": ["Joule", "Nature Energy", "PRX Quantum"],
    "society": ["AER", "The Lancet Public Health", "CHI"],
}
TITLE_PATTERNS = [
    "Scalable {a} for {b}", "{a} meets {b}: a survey", "Towards robust {a} in {b}",
    "Learning {a} representations for {b}", "On the limits of {a} in {b}",
    "Efficient {a} with applications to {b}", "A benchmark for {a} and {b}",
]
CITE_CONTEXTS = ["background", "method", "comparison", "dataset"]


def unit(v):
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v]


def mix(vectors, rng, noise):
    out = [sum(v[i] for v in vectors) / len(vectors) for i in range(DIM)]
    return unit([x + rng.gauss(0.0, noise) for x in out])


def timestamp(i):
    # Some records get whole seconds so both isoformat shapes appear.
    t = BASE_TIME + datetime.timedelta(seconds=37 * i, microseconds=0 if i % 5 == 0 else (i * 7919) % 1000000)
    return t.isoformat()


def entity(eid, etype, props, emb, i, source):
    return {"id": eid, "entity_type": etype, "properties": props,
            "embedding": [round(x, 4) for x in emb], "created_at": timestamp(i),
            "updated_at": timestamp(i), "source": source, "tenant_id": None}


def build(rng):
    field_dir = {f: unit([rng.gauss(0, 1) for _ in range(DIM)]) for f in FIELDS}
    region_dir = {r: unit([rng.gauss(0, 1) for _ in range(DIM)]) for r in ("europe", "americas", "asia")}
    entities, relations = [], []
    counter = [0]

    def next_i():
        counter[0] += 1
        return counter[0]

    def rel(rtype, src, dst, props, weight):
        i = next_i()
        relations.append({"id": "rel_%04d" % (len(relations) + 1), "relation_type": rtype,
                          "source_id": src, "target_id": dst, "properties": props,
                          "weight": round(weight, 2), "created_at": timestamp(i), "source": None,
                          "tenant_id": None})

    # Topics.
    topics = []  # (id, field, embedding)
    for field in FIELDS:
        for name, desc in FIELDS[field]:
            tid = "topic_%03d" % (len(topics) + 1)
            emb = mix([field_dir[field]], rng, 0.12)
            topics.append((tid, field, emb, name))
            entities.append(entity(tid, "Topic", {"name": name, "field": field, "description": desc},
                                   emb, next_i(), "taxonomy-v2"))

    # Cities.
    cities = []
    for name, country, population, region in CITIES:
        cid = "city_%03d" % (len(cities) + 1)
        emb = mix([region_dir[region]], rng, 0.15)
        cities.append((cid, region))
        entities.append(entity(cid, "City", {"name": name, "country": country, "population": population},
                               emb, next_i(), "geonames"))

    # Companies: company_001 is an AI company in Berlin (the demo's path target).
    companies = []
    fields = list(FIELDS)
    for n in range(40):
        cid = "company_%03d" % (n + 1)
        field = fields[n % len(fields)]
        industry = INDUSTRIES[field][n // len(fields) % 2]
        name = "%s %s" % (COMPANY_WORDS_A[n % 16], COMPANY_WORDS_B[field][n // len(fields) % 3])
        city = cities[0] if n == 0 else rng.choice(cities)
        emb = mix([field_dir[field], field_dir[field], region_dir[city[1]]], rng, 0.15)
        companies.append((cid, field))
        entities.append(entity(cid, "Company",
                               {"name": name, "industry": industry, "founded": 1990 + (n * 7) % 34,
                                "description": "%s company working on %s." % (
                                    industry, " and ".join([t[3].lower() for t in topics if t[1] == field][:2]))},
                               emb, next_i(), "company-registry"))
        rel("LOCATED_IN", cid, city[0], {}, 1.0)

    # Papers: each about one to three topics, mostly of one field.
    papers = []
    for n in range(95):
        pid = "paper_%03d" % (n + 1)
        field = fields[n % len(fields)] if n else "ai"
        own = [t for t in topics if t[1] == field]
        about = rng.sample(own, rng.choice([1, 2, 2, 3]))
        if n == 0:
            about = [topics[0], topics[4]]  # knowledge graphs, graph neural networks
        if rng.random() < 0.2:
            about.append(rng.choice(topics))
        about = list({t[0]: t for t in about}.values())
        second = about[-1] if len(about) > 1 else rng.choice([t for t in own if t is not about[0]])
        title = rng.choice(TITLE_PATTERNS).format(a=about[0][3].lower(), b=second[3].lower())
        if n == 0:
            title = "Knowledge graph embeddings with graph neural networks"
        emb = mix([t[2] for t in about], rng, 0.1)
        papers.append((pid, field, emb))
        entities.append(entity(pid, "Paper",
                               {"title": title[0].upper() + title[1:], "year": 2012 + n % 14,
                                "venue": rng.choice(VENUES[field]),
                                "keywords": [t[3].lower() for t in about]},
                               emb, next_i(), "arxiv"))
        for k, t in enumerate(about):
            rel("ABOUT", pid, t[0], {}, 1.0 - 0.2 * k)

    # Citations: only to earlier papers, preferring the same field.
    for n, (pid, field, _) in enumerate(papers):
        if n == 0:
            continue
        earlier = papers[:n]
        same = [p for p in earlier if p[1] == field]
        for _ in range(min(n, rng.choice([1, 2, 2, 3, 3]))):
            target = rng.choice(same if same and rng.random() < 0.75 else earlier)
            if not any(r["source_id"] == pid and r["target_id"] == target[0] and r["relation_type"] == "CITES"
                       for r in relations):
                rel("CITES", pid, target[0], {"context": rng.choice(CITE_CONTEXTS)}, 1.0)

    # People: person_001 works for company_001 and wrote paper_001.
    people = []
    for n in range(120):
        pid = "person_%03d" % (n + 1)
        first = FIRST_NAMES[n % len(FIRST_NAMES)]
        last = LAST_NAMES[(n * 7 + n // len(FIRST_NAMES)) % len(LAST_NAMES)]
        company = companies[0] if n == 0 else rng.choice(companies)
        field = company[1]
        own_papers = [p for p in papers if p[1] == field]
        written = [papers[0]] if n == 0 else rng.sample(own_papers, rng.choice([1, 1, 2, 2, 3]))
        emb = mix([p[2] for p in written], rng, 0.15)
        title = TITLES[n % len(TITLES)]
        people.append(pid)
        interests = sorted({t[3].lower() for t in topics if t[1] == field})[:2]
        entities.append(entity(pid, "Person",
                               {"name": "%s %s" % (first, last), "title": title,
                                "bio": "%s interested in %s." % (title, " and ".join(interests))},
                               emb, next_i(), "hr-directory"))
        rel("WORKS_FOR", pid, company[0], {"role": title, "since": 2010 + n % 15}, 1.0)
        for k, p in enumerate(written):
            rel("AUTHORED", pid, p[0], {"position": k + 1}, 1.0)

    # Acquaintances: mostly colleagues.
    pairs = set()
    while len(pairs) < 100:
        a, b = rng.sample(range(len(people)), 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
    for a, b in sorted(pairs):
        rel("KNOWS", people[a], people[b], {"since": 2005 + (a + b) % 20}, round(rng.uniform(0.3, 1.0), 2))

    # Entities first, in a stable order; relations get increasing timestamps.
    return entities, relations


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("knowledge_graph.jsonl")
    entities, relations = build(random.Random(SEED))
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for e in entities:
            f.write(json.dumps({"type": "entity", "data": e}) + "\n")
        for r in relations:
            f.write(json.dumps({"type": "relation", "data": r}) + "\n")
    print("%s: %d entities, %d relations" % (out, len(entities), len(relations)))


if __name__ == "__main__":
    main()
