"""Credits of a foreign lesson are plain words: every author kept, no Markdown, badge, rule or heading copied."""
from lms.catalogue.credits import author_names, citation_cff, cite_text, licence_name, plain_words


def test_an_authors_file_without_a_header_keeps_its_first_name():
    assert author_names("Alison Appling\nSean Aubin\n") == ["Alison Appling", "Sean Aubin"]


def test_a_header_line_is_skipped_and_emails_dropped():
    text = "spreadsheet-ecology-lesson was written by:\nAbigail Cabunoc <abigail@example.org>\nAmy N <amy@x.org>\n"
    assert author_names(text) == ["Abigail Cabunoc", "Amy N"]
    assert author_names("Contributors\nZed Doe\n") == ["Zed Doe"]


def test_rules_headings_badges_and_sentences_are_never_names():
    text = ("---\ntitle: Authors\n---\n# Authors\n[![build](https://x/b.svg)](https://x)\n\n## Core team\n"
            "* [Jane Doe](https://example.org/jane)\n- John Roe <john@example.org>\n---\n"
            "Thanks to everyone who sent a fix, an idea or a kind word over the years.\n")
    assert author_names(text) == ["Jane Doe", "John Roe"]


def test_licences_are_named_from_their_text():
    assert licence_name("---\ntitle: Licenses\n---\n\n## Instructional Material\n\nSee [the licence][l].\n\n"
                        "[l]: https://creativecommons.org/licenses/by/4.0/\n") == "CC BY 4.0"
    assert licence_name("# License\n\nCreative Commons Attribution-ShareAlike 4.0 International\n") == "CC BY-SA 4.0"
    assert licence_name("Copyright (c) 2020 Jane\n\nPermission is hereby granted, free of charge, to any") == "MIT"
    assert licence_name("Copyright © 2014, Tom.\n\nRedistribution and use in source and binary forms, with or "
                        "without modification") == "BSD-2-Clause"
    assert licence_name("CC-BY 4.0\n") == "CC BY 4.0"
    assert licence_name("---\n\n# Licence\n\nShare it **freely** with [thanks](https://x).\n") == "Share it freely with thanks."


def test_plain_words_drop_badges_images_and_html():
    assert plain_words("MkDocs [![Build](https://x/b.svg)](https://x) ![logo](l.png) **Project** <b>docs</b> &amp; "
                       "[site](https://x)") == "MkDocs Project docs & site"


def test_citation_files():
    cff = "cff-version: 1.2.0\nauthors:\n  - family-names: Doe\n    given-names: Jane\n  - name: The Team\nlicense: CC-BY-4.0\n"
    assert citation_cff(cff) == (["Jane Doe", "The Team"], "CC-BY-4.0")
    assert citation_cff("authors: [unclosed") == ([], "")
    assert cite_text("Please cite as:\n\nJane Doe (2019). *Spreadsheets*.\nZenodo.\n") == "Jane Doe (2019). Spreadsheets. Zenodo."


def test_a_copyright_in_a_licence_s_prose_is_not_a_notice():
    from lms.catalogue.credits import COPYRIGHT

    assert not COPYRIGHT.search("  - derived from work that is\n    Copyright © Software Carpentry, Data Carpentry,\n")
    assert COPYRIGHT.search("Copyright © 2014-present, Tom Christie. All rights reserved.\n").group(1).startswith("2014")
