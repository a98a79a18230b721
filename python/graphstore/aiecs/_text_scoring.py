"""The reference's text scorers, for GraphStore's default text_search.

Used only by a user's own GraphStore subclass that has no text_search of its
own; the graphstore-backed stores score in C++ (the SDK's scoring, the same
formulas). Documents are the string values of an entity's properties (and the
strings inside list or tuple values), joined by spaces.
"""
import math
import re
from collections import Counter

_TOKEN = re.compile(r"\w+")


def entity_text(entity):
    """The searchable text of an entity: its string property values, space-joined."""
    parts = []
    for value in (getattr(entity, "properties", None) or {}).values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, (list, tuple)):
            parts.extend(v for v in value if isinstance(v, str))
    return " ".join(parts)


def tokens(text):
    """Lower-cased \\w+ tokens of text."""
    return _TOKEN.findall(text.lower())


def bm25_scores(query, documents, k1=1.5, b=0.75):
    """BM25 of query against each document (corpus = documents), unnormalised."""
    docs = [tokens(d) for d in documents]
    n = len(docs)
    if n == 0:
        return []
    avgdl = sum(len(d) for d in docs) / n or 1.0
    df = Counter()
    for d in docs:
        df.update(set(d))
    query_terms = tokens(query)
    scores = []
    for d in docs:
        tf = Counter(d)
        dl = len(d)
        score = 0.0
        for term in query_terms:
            f = tf.get(term)
            if f:
                idf = math.log((n - df[term] + 0.5) / (df[term] + 0.5) + 1.0)
                score += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * dl / avgdl))
        scores.append(score)
    return scores


def jaccard(a, b):
    """|A∩B| / |A∪B| over token sets; 1.0 when both are empty."""
    sa, sb = set(tokens(a)), set(tokens(b))
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def tf_cosine(a, b):
    """Cosine of raw term-frequency vectors, clamped to [0, 1]; 1.0 when both are empty."""
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    if not ta and not tb:
        return 1.0
    dot = sum(ta[t] * tb.get(t, 0) for t in ta)
    na = math.sqrt(sum(v * v for v in ta.values()))
    nb = math.sqrt(sum(v * v for v in tb.values()))
    if na == 0 or nb == 0:
        return 0.0
    return max(0.0, min(1.0, dot / (na * nb)))


def levenshtein(a, b):
    """1 - distance / max(len): character level, case-sensitive; 1.0 for two empty strings."""
    if not a and not b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))


def score_documents(query, documents, method):
    """One score per document by `method` (bm25, jaccard, cosine, levenshtein); ValueError otherwise."""
    if method == "bm25":
        return bm25_scores(query, documents)
    pair = {"jaccard": jaccard, "cosine": tf_cosine, "levenshtein": levenshtein}.get(method)
    if pair is None:
        raise ValueError(f"Unknown text search method: {method}. "
                         "Use 'bm25', 'jaccard', 'cosine', or 'levenshtein'")
    if method == "levenshtein":
        return [pair(d, query) for d in documents]
    return [pair(query, d) for d in documents]
