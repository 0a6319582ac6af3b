"""Demo data for the community: circles, a few conversations, pairs that met, sessions with attendance, and
directory profiles, so that a new user finds it alive. Called by lms.demo.seed."""
from datetime import timedelta

from lms.cohorts import sessions
from lms.community import circles, conversations, directory, queries
from lms.core.database import utcnow


def seed(u, dakar, kigali, lessons):
    """Seed both demo cohorts; u(username) returns a demo account."""
    now = utcnow()
    trainer, kigali_trainer = u("mariama.ba"), u("grace.uwase")
    circles.split_into_circles(trainer, dakar)
    circles.split_into_circles(kigali_trainer, kigali)
    for name, phone in (("awa.ndiaye", "+221 77 410 22 31"), ("fatou.sarr", "+221 76 552 18 04"),
                        ("khady.fall", "+221 78 301 45 90"), ("aline.uwimana", "+250 788 120 455"),
                        ("jeanne.ingabire", "+250 722 301 877")):
        u(name).phone = phone
        circles.set_choices(u(name), share_phone=True)

    circle = queries.circle_thread(circles.current_membership(u("awa.ndiaye").id).circle_id)
    first, _ = conversations.add_post(u("awa.ndiaye"), circle, "Bonjour le cercle ! Qui a déjà mis ses prix sur "
                                      "WhatsApp Business ?", at=now - timedelta(days=3, hours=5))
    conversations.add_post(u("fatou.sarr"), circle, "Moi, depuis la semaine dernière : **le catalogue** se fait en "
                           "10 minutes.", reply_to=first, at=now - timedelta(days=3, hours=2))
    conversations.add_post(u("aissatou.diop"), circle, "Pensez à une photo par produit, sur un fond clair.",
                           reply_to=first, at=now - timedelta(days=2, hours=20))
    conversations.add_post(u("khady.fall"), circle, "Merci ! J'essaie ce soir.", at=now - timedelta(days=1))
    cohort_thread = circles.ensure_cohort_thread(dakar)
    conversations.add_post(trainer, cohort_thread, "Rappel : séance jeudi à 9 h. Apportez vos téléphones chargés.",
                           at=now - timedelta(days=2))
    kigali_circle = queries.circle_thread(circles.current_membership(u("aline.uwimana").id).circle_id)
    conversations.add_post(u("aline.uwimana"), kigali_circle, "Who got a Google review this week?",
                           at=now - timedelta(days=1, hours=3))
    conversations.add_post(u("diane.mukeshimana"), kigali_circle, "Two! I asked at the till, as Claudine said.",
                           at=now - timedelta(hours=20))

    question, _ = conversations.ask_question(u("aminata.diallo"), lessons["website"][1],
                                             "Faut-il un nom de domaine payant pour commencer ?",
                                             at=now - timedelta(days=4))
    answer, _ = conversations.add_post(u("mariame.kone"), question.thread, "Non : commence avec l'adresse gratuite, "
                                       "tu prendras un nom plus tard.", at=now - timedelta(days=3, hours=22))
    conversations.mark_helpful(u("aminata.diallo"), answer)

    for cohort, by in ((dakar, trainer), (kigali, kigali_trainer)):
        circles.make_week_pairs(by, cohort, circles.week_of() - timedelta(weeks=1))
        circles.make_week_pairs(by, cohort)
    for pair in queries.week_pairs(dakar.id, circles.week_of() - timedelta(weeks=1)) + \
            queries.week_pairs(kigali.id, circles.week_of() - timedelta(weeks=1)):
        for member in pair.members[:1]:
            circles.record_talk(member.user, member, "Elle vend le midi aux bureaux : je vais essayer."
                                if cohort_language(pair) == "fr" else "She posts her prices every Monday.")

    past = sessions.create_session(trainer, dakar, (now - timedelta(days=7)).replace(hour=9, minute=0, second=0,
                                   microsecond=0), "Mettre ses prix en ligne", "Salle 2", lessons["website"][:2])
    learners = sessions.learners_of(dakar)
    sessions.take_attendance(trainer, past, [x.id for x in learners if x.username != "khady.fall"])
    sessions.create_session(trainer, dakar, (now + timedelta(days=3)).replace(hour=9, minute=0, second=0,
                            microsecond=0), "Vendre sur les réseaux sociaux", "Salle 2", lessons["social-media"][:1])
    kigali_past = sessions.create_session(kigali_trainer, kigali, (now - timedelta(days=5)).replace(
        hour=14, minute=0, second=0, microsecond=0), "Google Business Profile", "Main hall")
    sessions.take_attendance(kigali_trainer, kigali_past, [x.id for x in sessions.learners_of(kigali)])

    for name, business, trade, town, offer, looking in (
            ("awa.ndiaye", "Awa Plats Maison", "Restauration", "Dakar", "Plats du jour livrés aux bureaux",
             "Un fournisseur de boîtes réutilisables"),
            ("fatou.sarr", "Salon Fatou Beauté", "Coiffure", "Dakar", "Tresses, soins, maquillage de mariage",
             "Une associée pour le samedi"),
            ("khady.fall", "Fall Tissus", "Textile", "Dakar", "Wax et bazin au mètre", "Des couturières"),
            ("aissatou.diop", "Diop Couture", "Couture", "Dakar", "Tenues sur mesure", "Des revendeuses"),
            ("aline.uwimana", "Aline Tailoring", "Tailoring", "Kigali", "School uniforms and alterations",
             "A supplier of cotton fabric"),
            ("jeanne.ingabire", "Ingabire Farm Produce", "Agriculture", "Kigali", "Vegetables, eggs, honey",
             "Restaurants to buy every week")):
        profile = directory.save_profile(u(name), business_name=business, trade=trade, town=town, offer=offer,
                                         looking_for=looking, whatsapp=u(name).phone or "")
        if name == "aissatou.diop":
            profile.help_with = "Fixer ses prix, trouver des revendeuses"
    directory.save_profile(u("claudine.mukamana"), business_name="Umutako Crafts", trade="Crafts", town="Kigali",
                           offer="Baskets and home decor", looking_for="", help_with="Online shops, customer reviews")


def cohort_language(pair):
    return pair.circle.cohort.language
