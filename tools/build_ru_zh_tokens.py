"""Build data/names/ru_zh_tokens.tsv: Russian ↔ Chinese renderings of the same name token.

Wikidata gives English–Russian and English–Chinese name token pairs (NETransliteration-COLING2018
training split, CC0).  Pivoting through the English token pairs each Russian form with each
Chinese form of the same name (александр ↔ 亚历山大, сергей ↔ 谢尔盖): the conventional renderings
that a syllable-by-syllable transcription misses.  A pair is kept when it was seen at least twice
and its consonant skeletons agree, or when it was seen ten times or more.

Usage: python tools/build_ru_zh_tokens.py [--data ../shared/data/names] [--output PATH]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

import zhconv
from pypinyin import lazy_pinyin

from expertbridge.names.phonetic import cyrillic_skeleton, han_skeletons
from expertbridge.names.score import skeleton_similarity

ROOT = Path(__file__).resolve().parents[1]


def _read(path: Path) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    with path.open(encoding="utf-8") as handle:
        for english, native, count in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            table[english][zhconv.convert(native.replace(" ", ""), "zh-cn")] += int(count)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "names")
    parser.add_argument("--output", type=Path, default=ROOT / "src/expertbridge/data/names/ru_zh_tokens.tsv")
    args = parser.parse_args()
    russian = _read(args.data / "wikidata_en_ru_tokens_train.tsv")
    chinese = _read(args.data / "wikidata_en_zh_tokens_train.tsv")
    pairs: Counter[tuple[str, str]] = Counter()
    for english in russian.keys() & chinese.keys():
        for ru, ru_count in russian[english].items():
            for zh, zh_count in chinese[english].items():
                pairs[(ru, zh)] += min(ru_count, zh_count)
    kept = []
    for (ru, zh), count in pairs.items():
        if not ru.isalpha() or not zh.isalpha() or count < 2:
            continue
        # Whole tokens: a rendering such as 谢尔盖 must not be read as a Chinese surname and name.
        ru_skeleton = frozenset({cyrillic_skeleton(ru)})
        zh_skeleton = frozenset(han_skeletons(lazy_pinyin(zh)))
        agree = skeleton_similarity(ru_skeleton, zh_skeleton) >= 0.5
        if agree or count >= 10:
            kept.append((ru, zh, count))
    kept.sort(key=lambda row: (row[0], -row[2], row[1]))
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# ru\tzh\tcount — from Wikidata name tokens (CC0) via English; see data/SOURCES.md\n")
        for ru, zh, count in kept:
            handle.write(f"{ru}\t{zh}\t{count}\n")
    print(f"{len(kept)} pairs written to {args.output}")


if __name__ == "__main__":
    main()
