#!/usr/bin/python3
"""score.py — scores ingest output against gold ledgers (corpus README rule).

A system task matches a gold task when their spans (located with str.find in
the document) overlap by at least 50% of the shorter span; pairs are matched
one-to-one greedily by overlap. Reports precision, recall and F1 of matching,
and unit / deadline accuracy over matched pairs (units compare after removing
spaces and punctuation; equal or containing counts as correct; null only
matches null).

usage: score.py DOC.txt GOLD.json OUT.json [NAME]   (one document)
       score.py --list FILE                          (lines: name txt gold out)
The last line printed is F1=0.xxx.
"""
import json
import sys
import unicodedata


def span(doc, t):
    s = t.get("source_text") or ""
    i = doc.find(s)
    if i < 0 or not s:
        return None
    return (i, i + len(s))


def norm_unit(u):
    if u is None:
        return None
    return "".join(c for c in u if not c.isspace()
                   and not unicodedata.category(c).startswith("P"))


def unit_ok(a, b):
    a, b = norm_unit(a), norm_unit(b)
    if a is None or b is None:
        return a is None and b is None
    if a == "" or b == "":
        return a == b
    return a == b or a in b or b in a


def score(doc, gold, out):
    gs = [(span(doc, t), t) for t in gold.get("tasks", [])]
    ss = [(span(doc, t), t) for t in out.get("tasks", [])]
    cands = []
    for i, (g, _) in enumerate(gs):
        for j, (s, _) in enumerate(ss):
            if g is None or s is None:
                continue
            ov = min(g[1], s[1]) - max(g[0], s[0])
            short = min(g[1] - g[0], s[1] - s[0])
            if ov > 0 and short > 0 and ov >= 0.5 * short:
                cands.append((ov, i, j))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    ug, us, pairs = set(), set(), []
    for ov, i, j in cands:
        if i in ug or j in us:
            continue
        ug.add(i)
        us.add(j)
        pairs.append((i, j))
    unit = sum(unit_ok(gs[i][1].get("unit"), ss[j][1].get("unit")) for i, j in pairs)
    dl = sum((gs[i][1].get("deadline") or None) == (ss[j][1].get("deadline") or None)
             for i, j in pairs)
    return dict(gold=len(gs), sys=len(ss), match=len(pairs), unit=unit, dl=dl)


def line(name, r):
    p = r["match"] / r["sys"] if r["sys"] else (1.0 if not r["gold"] else 0.0)
    rc = r["match"] / r["gold"] if r["gold"] else 1.0
    f = 2 * p * rc / (p + rc) if p + rc else 0.0
    ua = r["unit"] / r["match"] if r["match"] else 0.0
    da = r["dl"] / r["match"] if r["match"] else 0.0
    print(f"{name:8s} gold={r['gold']:3d} sys={r['sys']:3d} match={r['match']:3d} "
          f"P={p:.3f} R={rc:.3f} F1={f:.3f} unit={ua:.3f} deadline={da:.3f}")
    return f


def main(argv):
    if len(argv) >= 3 and argv[1] == "--list":
        rows = [l.split("\t") for l in open(argv[2], encoding="utf-8").read().splitlines() if l]
    elif len(argv) >= 4:
        rows = [[argv[4] if len(argv) > 4 else "doc", argv[1], argv[2], argv[3]]]
    else:
        print(__doc__)
        return 2
    tot = dict(gold=0, sys=0, match=0, unit=0, dl=0)
    for name, txt, gold, out in rows:
        doc = open(txt, encoding="utf-8").read()
        try:
            o = json.load(open(out, encoding="utf-8"))
        except (OSError, ValueError):
            o = {"tasks": []}
        r = score(doc, json.load(open(gold, encoding="utf-8")), o)
        line(name, r)
        for k in tot:
            tot[k] += r[k]
    f = line("TOTAL", tot)
    print(f"F1={f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
