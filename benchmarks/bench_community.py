"""Thread page weight: a circle's thread with 50 posts, as the server sends it compressed to a phone.

Budget: <= 15 KB compressed for the page; the first visit (page, CSS and scripts) within the site's 30 KB.
Run: .venv/bin/python benchmarks/bench_community.py  (temporary instance, Flask test client, no network)
"""
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lms import create_app  # noqa: E402
from lms.accounts import services as accounts  # noqa: E402
from lms.cohorts import services as cohorts  # noqa: E402
from lms.community import circles, conversations, queries  # noqa: E402
from lms.extensions import db  # noqa: E402

PASSWORD = "une phrase de passe"
BUDGET, FIRST_VISIT_BUDGET = 15 * 1024, 30 * 1024
MESSAGES = [
    "Bonjour le cercle ! Qui a déjà mis ses prix sur **WhatsApp Business** ? Je cherche comment faire le catalogue.",
    "Moi, depuis la semaine dernière : le catalogue se fait en 10 minutes. Une photo par produit, un prix, c'est tout.",
    "Pensez à une photo sur un fond clair, près d'une fenêtre, le matin. Les clientes regardent d'abord la photo.",
    "Merci ! J'essaie ce soir. Et pour les livraisons, vous demandez l'argent avant ou après ?",
    "Avant pour les nouvelles clientes (Wave ou Orange Money), après pour celles qui reviennent souvent.",
]


def main():
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/lms.sqlite3", "SECRET_KEY": "bench",
                          "PASSWORD_METHOD": "scrypt:1024:8:1"}, instance_path=folder)
        with app.app_context():
            db.create_all()
            accounts.create_user("admin", PASSWORD, roles=("admin",), display_name="Admin")
            trainer = accounts.create_user("trainer", PASSWORD, roles=("trainer",), display_name="Mariama Ba")
            cohort = cohorts.create_cohort(trainer, "Dakar — Médina", [])
            members = []
            for n, name in enumerate(("Awa Ndiaye", "Fatou Sarr", "Khady Fall", "Aminata Diallo", "Mariame Koné",
                                      "Ndèye Sow", "Binta Ba", "Coumba Diop")):
                user = accounts.create_user(f"learner{n}", PASSWORD, roles=("learner",), display_name=name)
                cohorts.join_with_code(user, cohort.join_code)
                members.append(user)
            [circle] = circles.split_into_circles(trainer, cohort)
            thread = queries.circle_thread(circle.id)
            public_id = thread.public_id
            for n in range(50):  # 8 authors: under the rate limit of 12 posts in 5 minutes each
                conversations.add_post(members[n % len(members)], thread, MESSAGES[n % len(MESSAGES)])
            db.session.commit()
        client = app.test_client()
        sign_in_page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in_page).group(1)
        client.post("/sign-in", data={"username": "learner0", "password": PASSWORD, "csrf_token": token})
        page = client.get(f"/community/threads/{public_id}", headers={"Accept-Encoding": "gzip"})
        body = page.data
        html = client.get(f"/community/threads/{public_id}", headers={"Accept-Encoding": "identity"})
        raw = len(html.data)
        print(f"thread page, 50 posts: {raw / 1024:.1f} KB raw, {len(body) / 1024:.1f} KB "
              f"{page.headers.get('Content-Encoding', 'uncompressed')} (budget {BUDGET // 1024} KB)")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html.get_data(as_text=True))
        total = len(body)
        for url in assets:
            asset = client.get(url, headers={"Accept-Encoding": "br, gzip"})
            total += len(asset.data)
            print(f"  {url}: {len(asset.data) / 1024:.1f} KB {asset.headers.get('Content-Encoding', '')}")
        print(f"first visit (page, CSS, scripts): {total / 1024:.1f} KB (budget {FIRST_VISIT_BUDGET // 1024} KB)")
        ok = len(body) <= BUDGET and total <= FIRST_VISIT_BUDGET
        print("within budget" if ok else "OVER BUDGET")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
