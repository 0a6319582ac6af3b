"""Write small course trees for tests: ours, a Carpentries lesson, a plain folder."""
from pathlib import Path
from textwrap import dedent

from PIL import Image

PATH_YAML = """\
id: market
order: 1
level: beginner
hours: 1
title:
  fr: Vendre au marché
  en: Selling at the market
summary:
  fr: Bien présenter ses produits.
  en: Showing your goods well.
credits:
  fr: Équipe de test. CC BY-SA 4.0.
  en: Test team. CC BY-SA 4.0.
"""

LESSON_FR = """\
---
id: market-stall
title: Votre étal
minutes: 10
objectives:
  - Ranger son étal
---

Awa vend des mangues au marché Sandaga.

## Ranger l'étal

Mettez les plus beaux fruits devant. Voir aussi [les prix](02-prices.fr.md).

![Un étal de mangues](stall.png)

::: tip
Arrosez les légumes le matin.
:::

::: quiz
? Que mettre devant ?
- [x] Les plus beaux fruits
  > Oui, ils attirent les clientes.
- [ ] Les fruits abîmés
  > Non, ils font fuir.
:::

::: assignment
submit: photo, text
Photographiez votre étal.
:::
"""

LESSON_EN = """\
---
id: market-stall
title: Your stall
minutes: 10
objectives:
  - Arrange your stall
---

Awa sells mangoes at Sandaga market.

## Arrange the stall

Put the best fruit at the front. See also [prices](02-prices.en.md).

![A mango stall](stall.png)

::: tip
Water the vegetables in the morning.
:::

::: quiz
? What goes at the front?
- [x] The best fruit
  > Yes, it draws customers.
- [ ] Damaged fruit
  > No, it drives them away.
:::
"""

PRICES_FR = """\
---
id: market-prices
title: Les prix
minutes: 5
---

## Afficher les prix

Une ardoise avec les prix en FCFA rassure les clientes.

::: quiz
? Faut-il afficher les prix ? (plusieurs réponses)
- [x] Oui, sur une ardoise
  > Bien vu.
- [x] Oui, dans le catalogue WhatsApp
  > Bien vu aussi.
- [ ] Non
  > Les clientes aiment savoir.
:::
"""


def write(path, text, encoding="utf-8"):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text) if not text.startswith("---") else text, encoding=encoding)
    return path


def image(path, size=(1200, 800), color=(200, 120, 40)):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)
    return path


def native_tree(root):
    """courses/market with two lessons; the first in French and English."""
    path = Path(root) / "01-market"
    write(path / "path.yaml", PATH_YAML)
    write(path / "01-stall.fr.md", LESSON_FR)
    write(path / "01-stall.en.md", LESSON_EN)
    write(path / "02-prices.fr.md", PRICES_FR)
    image(path / "stall.png")
    return Path(root)


def carpentries_tree(root):
    root = Path(root) / "mini-carpentry"
    write(root / "config.yaml", """\
        title: 'Mini spreadsheets'
        license: 'CC-BY 4.0'
        source: 'https://example.org/mini'
        lang: en
        episodes:
        - 01-second.md
        - 00-first.md
        """)
    write(root / "AUTHORS", "mini was written by:\nAda Lovelace <ada@example.org>\n")
    write(root / "episodes" / "00-first.md", """\
---
title: First
teaching: 10
exercises: 5
---

:::::::::::::::::::::::::::::::::::::: objectives

- Keep raw data raw.

::::::::::::::::::::::::::::::::::::::::::::::::::

Text with a figure.

![](fig/one.png){alt='the first figure'}

![](fig/two.png)
{alt='the second figure' .output}

![alt='third figure' .output](fig/three.png)

:::::::::::::::::::::::::::::::::::::::  challenge

## Exercise

Find the mistake. Then read [the second](01-second.md).

:::::::::::::::  solution

## Solution

There were two.

:::::::::::::::::::::::::

::::::::::::::::::::::::::::::::::::::::::::::::::

:::::::::::::::::::::::::::::::::::::::: keypoints

- Raw stays raw.

::::::::::::::::::::::::::::::::::::::::::::::::::
""")
    write(root / "episodes" / "01-second.md", "---\ntitle: Second\nteaching: 5\n---\n\n::: callout\n## Note\nDates are hard.\n:::\n")
    for name in ("one", "two", "three"):
        image(root / "episodes" / "fig" / f"{name}.png", size=(300, 200))
    return root


def plain_tree(root):
    root = Path(root) / "notes-de-cours"
    write(root / "README.md", "# Notes de cours\n\nDes notes simples pour la boutique.\n")
    write(root / "LICENSE", "CC BY 4.0\n")
    write(root / "01-accueil.md", "# Bienvenue\n\nLa boutique est ouverte et les clientes sont là. Voir [la suite](02-suite.md).\n\n![logo](img/logo.png)\n")
    write(root / "02-suite.md", "La suite du cours pour la boutique et les ventes de la semaine.\n")
    image(root / "img" / "logo.png", size=(100, 100))
    return root


CLOSING_FR = """\
---
id: market-closing
title: Fermer l'étal
minutes: 5
---

Le soir, comptez la caisse et notez les ventes du jour dans votre cahier.
"""


def native_tree_with_reading(root):
    """The native tree plus a lesson with no knowledge check (done by a button)."""
    root = native_tree(root)
    write(root / "01-market" / "03-closing.fr.md", CLOSING_FR)
    return root


CASCADE_STALL = """\
---
id: market-stall
title: Your stall
minutes: 5
---

Put the best fruit at the front.

::: quiz
? What goes at the front?
- [x] The best fruit
  > Yes, it draws customers.
- [ ] Damaged fruit
  > No, it drives them away.
:::

::: assignment
submit: text
Describe your stall in two sentences.
:::
"""

CASCADE_TOT_PATH = """\
id: training-of-trainers
order: 2
level: advanced
hours: 1
title:
  en: Training of trainers
summary:
  en: Run your own cohort.
credits:
  en: Test team. CC BY-SA 4.0.
"""

CASCADE_TOT_LESSON = """\
---
id: tot-facilitate
title: Facilitate a session
minutes: 5
---

Start with what the learners already know.
"""


def cascade_tree(root):
    """Two one-lesson paths, in English: the market (a check and practical work) and Training of trainers."""
    root = Path(root)
    write(root / "01-market" / "path.yaml", PATH_YAML)
    write(root / "01-market" / "01-stall.en.md", CASCADE_STALL)
    write(root / "02-tot" / "path.yaml", CASCADE_TOT_PATH)
    write(root / "02-tot" / "01-facilitate.en.md", CASCADE_TOT_LESSON)
    return root
