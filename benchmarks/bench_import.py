"""Import times: courses/, a generated 2,000-lesson tree, foreign files of 1-8 MB, the shared corpora.

The foreign figures show that rendering grows linearly with a file's size, and
that a file above the size limit (sources.MAX_TEXT_BYTES) is refused clearly.

Run: .venv/bin/python benchmarks/bench_import.py; with --foreign, only the foreign sizes and the corpora
"""
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _server import ROOT, lms

WORDS = ("vente client boutique prix photo marché tissu coiffure stock marge commande livraison "
         "téléphone message catalogue mangue pagne épargne mobile argent semaine récolte").split()


def generate(root, paths=40, lessons_per_path=50):
    """Write 40 paths × 50 lessons = 2,000 lessons, each in French and English (~700 words, a quiz)."""
    rng = random.Random(7)
    for p in range(paths):
        folder = root / f"{p:02d}-generated-{p}"
        folder.mkdir(parents=True)
        (folder / "path.yaml").write_text(f"id: gen-{p}\norder: {p}\ntitle:\n  fr: Parcours {p}\n  en: Path {p}\n")
        for l in range(lessons_per_path):
            for lang in ("fr", "en"):
                paragraphs = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(70)) + "." for _ in range(10))
                (folder / f"{l:02d}-lesson.{lang}.md").write_text(
                    f"---\nid: gen-{p}-{l}\ntitle: Lesson {l}\nminutes: 10\n---\n\n## Part one\n\n{paragraphs}\n\n"
                    "::: tip\nKeep it simple.\n:::\n\n::: quiz\n? Is it simple?\n- [x] Yes\n  > Right.\n"
                    "- [ ] No\n  > Not quite.\n:::\n")


FOREIGN_UNIT = ("## Part {n}\n\n### Exercise\n\nSome *text* with `<img src=\"x.png\">`, `[x](y)` and a [link](#part-{n}).\n\n"
                "- one\n   - nested with three spaces\n\n    ```\n    an indented fence\n    ```\n\n"
                "::: challenge\nDo it.\n::: solution\nDone.\n:::\n:::\n\n")


def foreign_text(megabytes):
    parts, size, n = [], 0, 0
    while size < megabytes * 1024 * 1024:
        parts.append(FOREIGN_UNIT.format(n=n))
        size, n = size + len(parts[-1]), n + 1
    return "".join(parts)


def foreign_sizes(tmp, instance):
    """Render 1, 2, 4 and 8 MB foreign files in process, then import each as a plain folder."""
    sys.path.insert(0, str(ROOT))
    from lms.catalogue.foreign import ForeignMarkup
    from lms.catalogue.specs import Problems

    for megabytes in (1, 2, 4, 8):
        text = foreign_text(megabytes)
        markup = ForeignMarkup("big.md", "en", Problems(), lambda src, line: None, lambda target, line: None)
        t0 = time.perf_counter()
        markup.render(text)
        rendered = time.perf_counter() - t0
        folder = Path(tmp) / f"big-{megabytes}"
        folder.mkdir()
        (folder / "big.md").write_text(text)
        took, summary = timed(instance, str(folder))
        print(f"foreign {megabytes} MB: render {rendered:6.2f} s ({rendered / megabytes:5.2f} s/MB); "
              f"import {took:6.2f} s ({summary})")


def corpora(instance):
    """Import each shared corpus that is present (they are optional)."""
    shared = ROOT.parent / "shared" / "corpora"
    for folder in sorted(shared.iterdir()) if shared.is_dir() else []:
        if folder.is_dir():
            took, summary = timed(instance, str(folder))
            print(f"{folder.name}: {took:6.2f} s  ({summary})")


def timed(instance, *args):
    t0 = time.perf_counter()
    try:
        result = lms(instance, "import-courses", *args)
    except subprocess.CalledProcessError as refused:  # a file over the size limit: say why
        result = refused
    lines = (result.stdout.strip() or result.stderr.strip()).splitlines()
    summary = next((l for l in lines if ": error:" in l), None)  # a refusal (e.g. the size limit) says why
    summary = summary or next((l for l in lines if " paths, " in l), lines[0] if lines else "")
    return time.perf_counter() - t0, summary


def main():
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        lms(instance, "init")
        if "--foreign" in sys.argv:  # only the foreign sizes and the shared corpora
            foreign_sizes(tmp, instance)
            corpora(instance)
            return
        cold, summary = timed(instance, str(ROOT / "courses"))
        print(f"courses/ cold:      {cold:6.2f} s  ({summary})")
        warm, summary = timed(instance, str(ROOT / "courses"))
        print(f"courses/ unchanged: {warm:6.2f} s  ({summary})")

        tree = Path(tmp) / "generated"
        generate(tree)
        cold, summary = timed(instance, str(tree))
        print(f"2,000 lessons cold:      {cold:6.2f} s  ({summary})")
        warm, summary = timed(instance, str(tree))
        print(f"2,000 lessons unchanged: {warm:6.2f} s  ({summary})")
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "lms"), "--help"], capture_output=True, check=True)
        print(f"(of which starting the lms command: {time.perf_counter() - t0:.2f} s)")


if __name__ == "__main__":
    main()
