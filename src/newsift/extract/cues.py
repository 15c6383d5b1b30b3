"""Boilerplate cues of pasted web text in ru, uk, de, fr, es and pl (issue 24).

The same reasons as the English rules of :mod:`newsift.extract.text` (``ad``, ``newsletter``,
``related``, ``social``, ``copyright``, ``tags``, ``counter``) plus ``photo_credit``, one pattern
per reason for all six languages; :func:`newsift.extract.text.classify_line` tries them after the
English rules, with the same word limits (a long line that mentions a cue stays article text).
Patterns are anchored at the line's start where a cue opens a furniture line ("Читайте также: ...",
"Lesen Sie auch", "Lire aussi") and free where the cue sits anywhere in a short line ("...
подписывайтесь на наш Telegram-канал").
"""

from __future__ import annotations

import re

_DASHES = r"[-–—_*•·\s\[(]*"
_END = r"[-–—_*\s\])!.:]*$"

OTHER_LANGUAGE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "ad",
        re.compile(
            _DASHES + r"(?:реклама|рекламный материал|партн[её]рский материал|на правах рекламы|"
            r"партнерський матеріал|werbung|anzeige|gesponsert|publicité|sponsorisé|publicidad|"
            r"anuncio|patrocinado|reklama|artykuł sponsorowany|materiał partnera)" + _END,
            re.I,
        ),
    ),
    (
        "newsletter",
        re.compile(
            r"подписывайтесь|подпишитесь|подписаться на|наш(?:ем|ему|)\s+(?:telegram|телеграм)|"
            r"telegram-канал|рассылк|підписуйтесь|підпишіться|розсилк|наш\s+телеграм|"
            r"abonnieren sie|jetzt abonnieren|melden sie sich (?:jetzt )?(?:für|zum) |"
            r"abonnez-vous|inscrivez-vous|lettre d['’]information|suscríbe(?:te|se)|"
            r"suscríbase|boletín|zapisz się|subskrybuj|zasubskrybuj|obserwuj nas",
            re.I,
        ),
    ),
    (
        "related",
        re.compile(
            r"^(?:читайте\s+(?:также|нас|ещ[её])|смотрите\s+также|по\s+теме|новости\s+по\s+теме|"
            r"ещ[её]\s+по\s+теме|самое\s+(?:читаемое|популярное)|подробнее(?=\s*[:—-]|\s*$)|читайте\s+також|"
            r"дивіться\s+також|по\s+темі|новини\s+за\s+темою|більше\s+новин|"
            r"lesen\s+sie\s+(?:auch|mehr)|auch\s+interessant|mehr\s+zum\s+thema|weitere\s+artikel|"
            r"das\s+könnte\s+sie\s+auch\s+interessieren|meistgelesen|"
            r"(?:à\s+)?lire\s+(?:aussi|également|la\s+suite)|voir\s+aussi|sur\s+le\s+même\s+sujet|"
            r"les\s+plus\s+lus|le[ae]\s+también|te\s+puede\s+interesar|noticias\s+relacionadas|"
            r"lo\s+más\s+leído|ver\s+también|czytaj\s+(?:także|też|więcej)|zobacz\s+(?:też|także)|"
            r"polecamy(?=\s*:|\s*$)|najczęściej\s+czytane)\b",
            re.I,
        ),
    ),
    (
        "social",
        re.compile(
            r"^(?:поделиться|поділитися|teilen|partager|compartir|udostępnij)"
            r"(?:\s+(?:в|у|auf|sur|en|na|w)\s+\S+)?[:!.]?$",
            re.I,
        ),
    ),
    (
        "copyright",
        re.compile(
            r"все права защищены|усі права захищені|alle rechte vorbehalten|tous droits réservés|"
            r"todos los derechos reservados|wszelkie prawa zastrzeżone|"
            r"при (?:полном или частичном )?(?:использовании|цитировании) материалов|"
            r"використання матеріалів .{0,60}(?:дозволяється|можливе)",
            re.I,
        ),
    ),
    ("tags", re.compile(r"^(?:теги|метки|теґи|schlagworte|mots-clés|etiquetas|tagi)\s*:", re.I)),
    (
        "counter",
        re.compile(
            r"^[\d\s.,kKтыс]*\s*(?:просмотр(?:ов|а)?|комментари(?:ев|я|й)|переглядів|"
            r"коментарів|kommentare|aufrufe|commentaires|vues|comentarios|visitas|komentarzy|"
            r"wyświetleń)(?:\s*[\d.,]+)?$",
            re.I,
        ),
    ),
    (
        "photo_credit",
        re.compile(r"^(?:фото|foto|fot\.)\s*:\s*\S.{0,80}$", re.I),
    ),
]
