#!/usr/bin/env python3
"""Rebuilds the built-in ISCO-08 and ESCO files of the taxonomy service (services/Taxonomy/BuiltIn) from the
ESCO v1.0 CSV download (codes, URIs and labels; see services/Taxonomy/BuiltIn/SOURCES.md).

    python3 tools/builtin-data/build_isco_esco.py <folder with isco08_groups_{en,es,fr}.csv and occupations_{en,es,fr}.csv>

Run it only to refresh the data; the service reads the files it writes, never the ESCO download.
The titles of the 53 major and sub-major groups already in BuiltIn/isco08/labels.csv are kept: they were checked
against the ILO's own publications. Minor and unit groups take ESCO's titles. Whitespace runs are collapsed and
repeated labels written once and the curly apostrophe
(\u2019) written as ASCII ', as in the other built-in titles; nothing else in the text is changed.
"""
import csv
import os
import re
import sys

LANGUAGES = ["en", "es", "fr"]
ESCO_PREFIX = "http://data.europa.eu/esco/occupation/"
HERE = os.path.dirname(os.path.abspath(__file__))
BUILT_IN = os.path.join(HERE, "..", "..", "services", "Taxonomy", "BuiltIn")


def clean(text):
    return re.sub(r"\s+", " ", text).strip().replace("\u2019", "'")


def read(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def isco(folder):
    kept = {}
    with open(os.path.join(BUILT_IN, "isco08", "labels.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if len(row["code"]) <= 2:
                kept[(row["code"], row["language"])] = row["text"]

    groups = {language: {r["code"]: r for r in read(folder, f"isco08_groups_{language}.csv")} for language in LANGUAGES}
    codes = sorted(groups["en"], key=lambda c: (c))
    concepts = [(code, code[:-1] if len(code) > 1 else "", "active", "") for code in codes]
    labels = []
    for code in codes:
        for language in LANGUAGES:
            title = kept.get((code, language)) or clean(groups[language][code]["preferredLabel"])
            labels.append((code, language, "preferred", title))
            for alternative in dict.fromkeys(clean(a) for a in groups[language][code]["altLabels"].split("|")):
                if alternative and alternative != title:
                    labels.append((code, language, "alternative", alternative))
    write(os.path.join(BUILT_IN, "isco08", "concepts.csv"), ["code", "parent_code", "status", "replaced_by"], concepts)
    write(os.path.join(BUILT_IN, "isco08", "labels.csv"), ["code", "language", "kind", "text"], labels)
    return len(concepts), len(labels)


def esco(folder):
    occupations = {language: {r["conceptUri"]: r for r in read(folder, f"occupations_{language}.csv")} for language in LANGUAGES}
    uris = sorted(occupations["en"])
    concepts, labels, relations, attributes = [], [], [], []
    for uri in uris:
        assert uri.startswith(ESCO_PREFIX), uri
        code = uri[len(ESCO_PREFIX):]
        concepts.append((code, "", "active", ""))
        group = occupations["en"][uri]["iscoGroup"]
        assert all(occupations[l][uri]["iscoGroup"] == group for l in LANGUAGES), uri
        relations.append((code, "narrower", "isco08", group))
        attributes.append((code, "uri", uri))
        for language in LANGUAGES:
            row = occupations[language][uri]
            title = clean(row["preferredLabel"])
            labels.append((code, language, "preferred", title))
            for alternative in dict.fromkeys(clean(a) for a in row["altLabels"].split("|")):
                if alternative and alternative != title:
                    labels.append((code, language, "alternative", alternative))
    target = os.path.join(BUILT_IN, "esco")
    os.makedirs(target, exist_ok=True)
    write(os.path.join(target, "concepts.csv"), ["code", "parent_code", "status", "replaced_by"], concepts)
    write(os.path.join(target, "labels.csv"), ["code", "language", "kind", "text"], labels)
    write(os.path.join(target, "relations.csv"), ["code", "relation", "target_scheme", "target_code"], relations)
    write(os.path.join(target, "attributes.csv"), ["code", "attribute", "value"], attributes)
    return len(concepts), len(labels)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print("isco08: %d concepts, %d labels" % isco(sys.argv[1]))
    print("esco: %d occupations, %d labels" % esco(sys.argv[1]))
