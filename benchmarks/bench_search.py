"""Search: building the index of a generated 5,000-lesson catalogue, then 500 mixed queries, beside
the same queries run as a naive SQL LIKE scan over the same lessons.

Run: .venv/bin/python benchmarks/bench_search.py  (uses a temporary instance)
"""
import random
import statistics
import tempfile
import time
from pathlib import Path

from _server import lms

from lms import create_app
from lms.catalogue.models import LearningPath, Lesson, LessonText
from lms.extensions import db
from lms.search.analysis import fold
from lms.search.index import for_app

PATHS, LESSONS_PER_PATH, WORDS_PER_TEXT, QUERIES = 50, 100, 350, 500

FR = ("vente client cliente boutique prix photo marché tissu coiffure stock marge commande livraison téléphone "
      "message catalogue mangue pagne épargne argent semaine récolte référencement réseau social réseaux sociaux "
      "publication abonnée statut vidéo mots-clés recherche fiche établissement avis étoile horaires adresse "
      "tableur formule colonne graphique bénéfice dépense recette caisse cahier facture paiement mobile "
      "formatrice apprenante séance atelier groupe exercice évaluation présentation confiance vendre acheter "
      "publier répondre photographier noter calculer former expliquer montrer préparer").split()
EN = ("sale customer shop price photo market cloth hairdresser stock margin order delivery phone message "
      "catalogue mango wrapper savings money week harvest search engine optimisation network social networks "
      "post follower status video keywords search profile business review star hours address spreadsheet "
      "formula column chart profit expense income cash book invoice payment mobile trainer learner session "
      "workshop group exercise assessment presentation confidence sell buy publish answer photograph note "
      "calculate train explain show prepare").split()
QUESTIONS = {"fr": ("comment", "pourquoi", "quand"), "en": ("how", "why", "when")}


def synthetic_words(rng, count):
    """Make up words so the vocabulary is as large as a real catalogue's."""
    syllables = "ba be bi bo bu da de di do du fa fe fi ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no " \
                "nu pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa ya za".split()
    return sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)})


def text_maker(rng, words):
    """Return a function writing n words with a Zipf-like spread: a few words often, most rarely."""
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return lambda n: " ".join(rng.choices(words, weights, k=n))


def generate(rng):
    """Insert 5,000 lessons, each in French and English, straight into the database."""
    made = {lang: text_maker(rng, domain + synthetic_words(rng, 4000))
            for lang, domain in (("fr", FR), ("en", EN))}
    for p in range(PATHS):
        path = LearningPath(slug=f"gen-{p}", position=p, title={"fr": f"Parcours {p}", "en": f"Path {p}"})
        db.session.add(path)
        db.session.flush()
        lessons = [Lesson(slug=f"gen-{p}-{n}", path_id=path.id, position=n) for n in range(LESSONS_PER_PATH)]
        db.session.add_all(lessons)
        db.session.flush()
        rows = []
        for lesson in lessons:
            for lang, write in made.items():
                heading, body = write(3).capitalize(), write(WORDS_PER_TEXT)
                quiz = {"questions": [{"id": "q1", "html": write(8) + " ?", "multiple": False, "answers": [
                    {"id": f"a{i}", "html": write(4), "correct": i == 1, "explanation_html": write(10)}
                    for i in (1, 2)]}]}
                rows.append({"lesson_id": lesson.id, "language": lang, "title": write(4).capitalize(),
                             "toc": [[2, "part", heading]], "plain_text": f"{heading} {body}", "html": "",
                             "words": WORDS_PER_TEXT + 3, "quiz": quiz})
        db.session.execute(db.insert(LessonText), rows)
    db.session.commit()


def make_queries(rng):
    """Return (text, preferred language, language filter, path filter) for a mix of real-life searches."""
    def typo(word):
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2:]

    queries = []
    for _ in range(QUERIES):
        lang = rng.choice(("fr", "en"))
        words = FR if lang == "fr" else EN
        kind = rng.random()
        if kind < 0.3:
            text = fold(rng.choice(words))
        elif kind < 0.55:
            text = " ".join(rng.sample(words, 2))
        elif kind < 0.7:
            text = f"{rng.choice(QUESTIONS[lang])} {rng.choice(words)} {rng.choice(words)}"
        elif kind < 0.8:
            text = typo(fold(rng.choice([w for w in words if len(w) > 5])))
        elif kind < 0.9:
            text = rng.choice(words) + "s"
        else:
            text = '"' + " ".join(rng.sample(words, 2)) + '"'
        language = rng.choice((None, None, lang)) if rng.random() < 0.2 else None
        path = f"gen-{rng.randrange(PATHS)}" if rng.random() < 0.1 else None
        queries.append((text, lang, language, path))
    return queries


def like_scan(text, language, path):
    """The naive way: every word as a LIKE on title and text, over every lesson text."""
    words = [w for w in text.lower().replace('"', " ").split() if len(w) > 2] or [text.lower()]
    query = db.select(LessonText.lesson_id, LessonText.language).join(Lesson).join(LearningPath).where(
        Lesson.retired_at.is_(None), db.or_(*[c.like(f"%{w}%") for w in words
                                              for c in (LessonText.title, LessonText.plain_text)]))
    if language:
        query = query.where(LessonText.language == language)
    if path:
        query = query.where(LearningPath.slug == path)
    return db.session.execute(query).all()


def timed(fn, queries):
    timings, answered = [], 0
    for query in queries:
        t0 = time.perf_counter()
        found = fn(*query)
        timings.append((time.perf_counter() - t0) * 1000)
        answered += bool(found)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95)], answered


def main():
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        lms(instance, "init")
        app = create_app(instance_path=str(instance))
        with app.app_context():
            generate(rng)
            index = for_app(app)
            t0 = time.perf_counter()
            count = index.build()
            build = time.perf_counter() - t0
            size = sum(f.stat().st_size for f in (instance / "search").rglob("*") if f.is_file()) / 2**20
            print(f"index build: {PATHS * LESSONS_PER_PATH:,} lessons ({count:,} texts of ~{WORDS_PER_TEXT} words) "
                  f"in {build:.1f} s, {size:.0f} MB on disk")
            t0 = time.perf_counter()
            index.update(range(1, 11))
            print(f"re-indexing 10 changed lessons: {time.perf_counter() - t0:.2f} s")

            queries = make_queries(rng)
            with app.test_request_context():
                index.search("warm up")
                p50, p95, answered = timed(lambda text, lang, language, path: index.search(
                    text, preferred=lang, language=language, path=path).hits, queries)
                print(f"{QUERIES} queries, search index (page of 10 with snippets): p50 {p50:.1f} ms, "
                      f"p95 {p95:.1f} ms; {answered} found something")
                p50, p95, answered = timed(lambda text, lang, language, path: like_scan(text, language, path), queries)
                print(f"{QUERIES} queries, naive SQL LIKE scan (no ranking, no snippets): p50 {p50:.1f} ms, "
                      f"p95 {p95:.1f} ms; {answered} found something")


if __name__ == "__main__":
    main()
