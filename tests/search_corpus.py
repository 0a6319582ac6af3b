"""A small bilingual course tree for the search tests: accents, plurals, checks, two paths."""
from pathlib import Path

import pytest

from tests.course_tree import write

FOUND_ONLINE = """\
id: found-online
order: 1
title:
  fr: Être trouvée en ligne
  en: Be found online
"""

SEO_FR = """\
---
id: seo-basics
title: Le référencement naturel
minutes: 10
---

Awa vend des pagnes à Dakar. Ses clientes la cherchent sur Google.

## Comment Google choisit

Google montre d'abord les pages qui répondent le mieux à la question posée.
"""

SEO_EN = """\
---
id: seo-basics
title: Search engine optimisation basics
minutes: 10
---

Awa sells cloth in Dakar. Her customers look for her on Google.

## How Google chooses

Google first shows the pages that best answer the question asked.
"""

KEYWORDS_FR = """\
---
id: keywords
title: Choisir ses mots-clés
minutes: 10
---

Un mot-clé est le mot que tape une cliente. Pour un bon référencement, notez dix mots-clés.
Le référencement local compte aussi : le référencement se travaille chaque mois, et le
référencement payant n'est pas obligatoire.

Un prix < 1000 FCFA attire l'œil.
"""

KEYWORDS_EN = """\
---
id: keywords
title: Choosing keywords
minutes: 10
---

A keyword is the word a customer types. Write down ten keywords.
"""

SOCIAL_FR = """\
---
id: social-selling
title: Vendre à ses abonnées
minutes: 10
---

Sur un réseau social, publiez vos produits trois fois par semaine. WhatsApp et Facebook
suffisent pour commencer.

::: quiz
? Combien de publications par semaine ?
- [x] Trois
  > Oui, avec une épargne de temps grâce au calendrier.
- [ ] Trente
  > Non, c'est trop.
:::
"""

MODULE_YAML = """\
id: getting-started
title:
  fr: Pour commencer
  en: Getting started
"""

PHOTOS_EN = """\
---
id: product-photos
title: Taking product photos
minutes: 5
---

Take your photographs in daylight, near a window.
"""

BOOKS = """\
id: bookkeeping
order: 2
title:
  fr: Tenir ses comptes
  en: Keeping the books
"""

CASH_FR = """\
---
id: cash-book
title: Le cahier de caisse
minutes: 5
---

Notez chaque vente le soir dans le cahier. Le référencement n'a rien à voir avec la caisse.
"""

TIP_FR = """\
---
id: tip-{n}
title: Astuce numéro {n}
minutes: 2
---

Une astuce pour la boutique : rangez l'étagère {n}.
"""


def search_tree(root, tips=12):
    """Write two paths: one bilingual with a module, one French with many short tips."""
    root = Path(root)
    online = root / "01-found-online"
    write(online / "path.yaml", FOUND_ONLINE)
    write(online / "01-seo.fr.md", SEO_FR)
    write(online / "01-seo.en.md", SEO_EN)
    write(online / "02-keywords.fr.md", KEYWORDS_FR)
    write(online / "02-keywords.en.md", KEYWORDS_EN)
    write(online / "03-start" / "module.yaml", MODULE_YAML)
    write(online / "03-start" / "01-social.fr.md", SOCIAL_FR)
    write(online / "03-start" / "02-photos.en.md", PHOTOS_EN)
    books = root / "02-bookkeeping"
    write(books / "path.yaml", BOOKS)
    write(books / "01-cash.fr.md", CASH_FR)
    for n in range(1, tips + 1):
        write(books / f"{n + 1:02d}-tip.fr.md", TIP_FR.format(n=n))
    return root


@pytest.fixture
def corpus(runner, tmp_path, admin):
    """The search tree, imported (on a site set up by its admin): the import's signal builds the index."""
    root = search_tree(tmp_path / "courses")
    result = runner.invoke(args=["import-courses", str(root)])
    assert result.exit_code == 0, result.output
    return root
