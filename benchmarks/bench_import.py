"""Import times: courses/ and a generated 2,000-lesson tree, cold then unchanged.

Run: .venv/bin/python benchmarks/bench_import.py
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


def timed(instance, *args):
    t0 = time.perf_counter()
    result = lms(instance, "import-courses", *args)
    return time.perf_counter() - t0, result.stdout.strip().splitlines()[-1]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        lms(instance, "init")
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
