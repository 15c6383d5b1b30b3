"""Word lists for attribution beyond English (ru, uk, de, fr, es, pl): the data behind
:mod:`newsift.stages.attribution_ml`.

Per language:

- ``quotes``: (opening, closing) mark pairs, outermost style first;
- ``cues``: speech and reporting verbs in the forms news copy uses (past tense in every gender and
  number, present, gerund; French and Spanish participles also after an auxiliary);
- ``markers``: phrases that put a source in a prepositional phrase, ``before`` (``по словам X,``
  ``laut X``, ``selon X``, ``según X``, ``według X``) or ``after`` the source (``X zufolge``);
- ``as_``: words that open an inverted reporting clause (``Как сообщили ..., ...``, ``Wie X
  berichtete, ...``, ``Jak podaje X, ...``);
- ``this``: "about this" openers whose content is the sentence before (``Об этом заявил X``);
- ``comp``: complementisers that open reported content (что, dass, que, że, що);
- ``lead``: sentence-initial adverbs and conjunctions that send the subject behind the verb;
- ``cut``: words that end a source phrase written after its cue (place, time, medium);
- ``pronouns``; ``pron_markers``: source phrases whose source is a possessive pronoun (``по её
  словам``, ``ihren Angaben zufolge``, ``jej zdaniem``; group ``src``), read as a pronoun;
- ``adverbs``: adverbs between a subject and its cue (``Она также напомнила``, ``Elle a aussi
  rappelé``), dropped from the end of the source;
- ``role_phrases`` (optional): patterns of a post's title that a word list would read as an
  unnamed person (``официальный представитель МИД``: the ministry's spokesperson, one post);
- kind lexicons as word stems matched at the start of a word: ``anon`` (unnamed
  people and sources), ``vague`` (the subset that names no one at all: experts, media, users),
  ``role`` (a post held by one person), ``org`` (bodies) and ``doc`` (documents).

Stems are lower-case; a stem matches a word that starts with it (Russian and Polish nouns change
their endings with case: источник, источника, источники, источников).
"""

from __future__ import annotations


def _ru_past(stems: str) -> set[str]:
    """Russian past tense (m, f, n, pl) and perfective gerund of each stem before ``-л``."""
    out: set[str] = set()
    for s in stems.split():
        out |= {s + "л", s + "ла", s + "ло", s + "ли", s + "в"}
    return out


def _uk_past(stems: str) -> set[str]:
    """Ukrainian past tense (m ``-в``, f, n, pl) and gerund (``-вши``) of each stem."""
    out: set[str] = set()
    for s in stems.split():
        out |= {s + "в", s + "ла", s + "ло", s + "ли", s + "вши"}
    return out


def _pl_past(stems: str) -> set[str]:
    """Polish past tense (m ``-ł``, f ``-ła``, n ``-ło``, pl ``-li``/``-ły``) of each stem."""
    out: set[str] = set()
    for s in stems.split():
        out |= {s + "ł", s + "ła", s + "ło", s + "li", s + "ły"}
    return out


def _de_weak(stems: str) -> set[str]:
    """German weak verbs: present, past and participle forms of each stem."""
    out: set[str] = set()
    for s in stems.split():
        out |= {s + "t", s + "te", s + "ten", s + "en", s + "et", s + "ete", s + "eten"}
    return out


def _romance(participles: str, presents: str) -> set[str]:
    out = set(participles.split()) | set(presents.split())
    out |= {p + "e" for p in participles.split() if p.endswith("é")}  # French agreement
    return out


RU = {
    "quotes": [("«", "»"), ("„", "“"), ("“", "”"), ('"', '"')],
    "cues": _ru_past(
        "заяви сообщи отмети подчеркну сказа добави поясни рассказа уточни напомни призна написа "
        "завери утвержда предупреди подтверди объяви выразил заметил указа констатирова признава "
        "счита пообеща ответи процитирова переда сообща заявля отмеча говори рассказыва "
        "опроверг опровергну заверя пожалова возмути резюмирова"
    )
    | {
        "опроверг",
        "считает",
        "считают",
        "говорит",
        "говорят",
        "утверждает",
        "утверждают",
        "уверяет",
        "уверяют",
        "полагает",
        "полагают",
        "пишет",
        "пишут",
        "сообщает",
        "сообщают",
        "заявляет",
        "заявляют",
        "отмечает",
        "отмечают",
        "подчёркивает",
        "подчеркивает",
        "рассказывает",
        "рассказывают",
        "признаёт",
        "признает",
        "предупреждает",
        "уверен",
        "уверена",
        "уверены",
        "сообщается",
        "говорится",
        "заявили",
        "добавив",
        "отметив",
        "подчеркнув",
        "заявив",
        "уточнив",
    },
    "object_cues": {"объявил", "объявила", "объявили", "анонсировал", "анонсировала"},
    "markers": [
        (r"по\s+словам", "before"),
        (r"по\s+данным", "before"),
        (r"по\s+информации", "before"),
        (r"по\s+сведениям", "before"),
        (r"по\s+мнению", "before"),
        (r"по\s+оценкам", "before"),
        (r"по\s+оценке", "before"),
        (r"согласно", "before"),
        (r"со\s+слов", "before"),
        (r"как\s+следует\s+из", "before"),
    ],
    "as_": ["как"],
    "this": [r"об\s+этом", r"о\s+том", r"это"],
    "comp": ["что", "будто", "чтобы"],
    "about": ["об", "о", "про"],
    "lead": "сам сама сами также затем позже ранее однако при этом кроме того а но и вчера сегодня".split(),
    "cut": "в во на после по для журналистам журналисту изданию агентству телеканалу газете "
    "в понедельник вторник среду четверг пятницу субботу воскресенье".split(),
    "pronouns": "он она они оно я мы".split(),
    "pron_markers": [
        r"по\s+(?P<src>его|её|ее|их)\s+(?:словам|данным|мнению|оценке|оценкам|информации|сведениям)",
        r"на\s+(?P<src>его|её|ее|их)\s+взгляд",
    ],
    "adverbs": "также тоже ещё еще затем потом вновь снова уже позже ранее".split(),
    "role_phrases": [
        r"^официальн(?:ый|ого|ому|ым|ом|ая|ой|ую)\s+представител(?:ь|я|ю|ем|е)\s+\w",
    ],
    "anon": "источник собеседник эксперт аналитик жител житель очевид свидетел пользовател "
    "представител пресс-секретар неназванн анонимн инсайдер специалист наблюдател "
    "депутаты чиновник сотрудник знающ осведомл журналист врач учен экономист "
    "пенсионер военн сми медиа критик противник сторонник".split(),
    "vague": "эксперт аналитик пользовател сми медиа специалист наблюдател учен экономист критик".split(),
    "role": "министр губернатор глава мэр президент премьер спикер председател директор "
    "генсек руководител посол прокурор судья адвокат депутат сенатор "
    "командующ начальник мэра главы губернатора министра президента замминистр вице "
    "лидер основател ректор патриарх канцлер".split(),
    "org": "министерств ведомств правительств администрац пресс-служб мчс кремл мвд мид фсб "
    "полиц прокуратур суд минобороны госдум дума совет парламент компан корпорац банк "
    "цб агентств издани газет телеканал партия партии фонд организац служб "
    "комитет комисси штаб управлени департамент минздрав минфин минэнерго росстат "
    "мэри ведомст профсоюз центр институт университет оон нато евросоюз ес".split(),
    "doc": "доклад отчет отчёт исследовани документ письм заявлени сообщени расследовани "
    "материал данные приговор решени постановлени указ закон опрос".split(),
}

UK = {
    "quotes": [("«", "»"), ("„", "“"), ("“", "”"), ('"', '"')],
    "cues": _uk_past(
        "заяви повідоми зазначи наголоси сказа дода поясни розповіла розповіли розпові уточни "
        "нагада визна написа запевни підтверди попереди оголоси висловив відповіли відповіда "
        "процитува переда запевня вважа стверджува"
    )
    | {
        "розповів",
        "сказав",
        "вважає",
        "вважають",
        "каже",
        "кажуть",
        "стверджує",
        "стверджують",
        "запевняє",
        "запевняють",
        "пише",
        "пишуть",
        "повідомляє",
        "повідомляють",
        "заявляє",
        "заявляють",
        "зазначає",
        "зазначають",
        "наголошує",
        "розповідає",
        "розповідають",
        "визнає",
        "попереджає",
        "додавши",
        "зазначивши",
        "наголосивши",
        "заявивши",
        "повідомляється",
        "йдеться",
        "переконаний",
        "переконана",
        "переконані",
    },
    "object_cues": {"оголосив", "оголосила", "оголосили", "анонсував", "анонсувала"},
    "markers": [
        (r"за\s+словами", "before"),
        (r"за\s+даними", "before"),
        (r"за\s+інформацією", "before"),
        (r"за\s+оцінками", "before"),
        (r"на\s+думку", "before"),
        (r"згідно\s+з(?:і)?", "before"),
        (r"як\s+випливає\s+з", "before"),
        (r"з\s+слів", "before"),
        (r"зі\s+слів", "before"),
    ],
    "as_": ["як"],
    "this": [r"про\s+це", r"це"],
    "comp": ["що", "нібито", "щоб"],
    "about": ["про"],
    "lead": "сам сама самі також потім пізніше раніше однак крім того а але і й вчора сьогодні".split(),
    "cut": "в у на після по для журналістам журналісту виданню агентству телеканалу газеті".split(),
    "pronouns": "він вона вони воно я ми".split(),
    "pron_markers": [
        r"за\s+(?P<src>його|її|їхніми|їх)\s+(?:словами|даними|оцінками|інформацією)",
        r"на\s+(?P<src>його|її|їхню|їх)\s+думку",
    ],
    "adverbs": "також теж ще потім знову вже пізніше раніше".split(),
    "role_phrases": [
        r"^офіційн(?:ий|ого|ому|им|ім|а|ої|у|ою)\s+представни(?:к|ка|ку|ком|ці|ця|цю|цею)\s+\w",
    ],
    "anon": "джерел співрозмовник експерт аналітик мешкан житель жител очевид свідк "
    "користувач представни речни речниц прессекретар пресс-секретар неназван анонімн "
    "інсайдер фахів спостерігач посадовц посадовець чиновник співробітник журналіст лікар "
    "вчен економіст пенсіонер військов зміі змі медіа критик".split(),
    "vague": "експерт аналітик користувач змі медіа фахів спостерігач вчен економіст критик".split(),
    "role": "міністр губернатор голов мер президент прем'єр прем’єр спікер директор "
    "генсек керівни посол прокурор суддя адвокат депутат командувач начальник "
    "лідер засновни ректор канцлер очільни".split(),
    "org": "міністерств відомств уряд адміністрац пресслужб прес-служб дснс зсу сбу мзс "
    "поліці прокуратур суд міноборони верховн рад парламент компан корпорац банк нбу "
    "агентств видан газет телеканал парті фонд організац служб комітет комісі штаб "
    "управлінн департамент держстат генштаб генеральний офіс оон нато єс".split(),
    "doc": "доповід звіт дослідженн документ лист заяв повідомленн розслідуванн матеріал "
    "дані вирок рішенн постанов указ закон опитуванн".split(),
}

DE = {
    "quotes": [("„", "“"), ("„", "”"), ("»", "«"), ("«", "»"), ("‚", "‘"), ("“", "”"), ('"', '"')],
    "cues": _de_weak(
        "sag erklär beton mein bericht bestätig warn erläuter behaupt versicher äußer verkünd "
        "ergänz unterstrich bekräftig beteuer dementier kommentier kritisier antwort erwider "
        "mahn bezeichn schilder klag fürcht vermut glaub zitier ankündig mitteil "
        "beklag hoff befürcht bezweifel meld entgegn konter spekulier relativier"
    )
    | {
        "gesagt",
        "erklärt",
        "betont",
        "berichtet",
        "schrieb",
        "schreibt",
        "schreiben",
        "sprach",
        "spricht",
        "hieß",
        "heißt",
        "verlautete",
        "bestritt",
        "bestreitet",
        "wies",
        "empörte",
        "zeigte",
        "unterstrich",
        "rief",
        "forderte",
        "fordert",
        "stellte",
        "gab",
        "räumte",
        "teilte",
        "kündigte",
        "fügte",
        "meint",
        "meinte",
        "geht",
        "ging",
        "gehen",
        "gingen",
        "gibt",
        "gaben",
        "räumt",
        "räumten",
        "stellt",
        "stellten",
        "zeigt",
        "zeigten",
        "weist",
        "wiesen",
        "ruft",
        "riefen",
        "fügten",
        "ergab",
        "ergibt",
        "ergaben",
        "wirft",
        "warf",
        "warfen",
        "schlägt",
        "schlug",
        "schlugen",
        "erwartet",
        "erwartete",
        "erwarten",
        "begrüßte",
        "begrüßt",
        "begrüßten",
        "verurteilte",
        "verurteilt",
        "verurteilten",
        "verlangte",
        "verlangt",
        "verlangen",
        "lehnte",
        "lehnt",
        "lehnten",
        "widersprach",
        "widerspricht",
        "fordern",
        "nannte",
        "nennt",
        "nannten",
        "bezeichnete",
        "bezeichnet",
        "bezeichneten",
        "sprachen",
        "charakterisierte",
        "konstatierte",
        "lobte",
        "begründete",
        "kommentierte",
    }
    | set(
        "angekündigt mitgeteilt hingewiesen bekanntgegeben eingeräumt festgestellt klargestellt "
        "zugegeben gewarnt bestätigt behauptet geäußert geschrieben gesprochen kritisiert "
        "versichert verkündet dementiert bestritten angegeben".split()
    ),
    # separable particles that complete a cue verb ("teilte ... mit", "kündigte ... an")
    "particles": {
        **dict.fromkeys(("teilte", "teilt", "teilten"), "mit"),
        **dict.fromkeys(("kündigte", "kündigt", "kündigten"), "an"),
        **dict.fromkeys(("fügte", "fügt", "fügten"), "hinzu"),
        **dict.fromkeys(("gab", "gibt", "gaben"), "an|bekannt|zu"),
        **dict.fromkeys(("räumte", "räumt", "räumten"), "ein"),
        **dict.fromkeys(("wies", "weist", "wiesen"), "hin|darauf"),
        **dict.fromkeys(("stellte", "stellt", "stellten"), "klar|fest"),
        **dict.fromkeys(("zeigte", "zeigt", "zeigten"), "sich"),
        **dict.fromkeys(("geht", "ging", "gehen", "gingen"), "davon aus"),
        **dict.fromkeys(("rief", "ruft", "riefen"), "auf"),
        **dict.fromkeys(("lehnte", "lehnt", "lehnten"), "ab"),
        **dict.fromkeys(("wirft", "warf", "warfen", "schlägt", "schlug", "schlugen"), "vor"),
    },
    # cues that need their particle ("teilte" alone is no speech verb)
    "need_particle": {
        "teilte",
        "teilt",
        "teilten",
        "gab",
        "gibt",
        "gaben",
        "stellte",
        "stellt",
        "stellten",
        "zeigte",
        "zeigt",
        "zeigten",
        "rief",
        "ruft",
        "riefen",
        "räumte",
        "räumt",
        "räumten",
        "wies",
        "weist",
        "wiesen",
        "fügte",
        "fügt",
        "fügten",
        "kündigte",
        "kündigt",
        "kündigten",
        "geht",
        "ging",
        "gehen",
        "gingen",
        "wirft",
        "warf",
        "warfen",
        "schlägt",
        "schlug",
        "schlugen",
        "lehnte",
        "lehnt",
        "lehnten",
    },
    # participles of separable and other verbs ("hatte angekündigt, dass ...")
    "participles": "angekündigt mitgeteilt hingewiesen bekanntgegeben eingeräumt festgestellt "
    "klargestellt zugegeben gewarnt berichtet bestätigt behauptet geäußert geschrieben "
    "gesprochen kritisiert versichert verkündet betont erklärt gesagt gemeint erläutert "
    "angegeben dementiert bestritten",
    "finite_aux": "hat hatte haben hatten habe hätte hätten wird wurde würde werden wurden "
    "will wollte wollten soll sollte sollten ließ lässt",
    "markers": [
        (r"laut", "before"),
        # "nach Angaben des ...", "nach einer norwegischen Studie": the phrase is the source
        (
            r"nach(?=\s+(?:\w+\s+){0,2}(?:angaben|informationen|ansicht|einschätzung|"
            r"auffassung|darstellung|meinung|studie|ermittlungen|hochrechnung|berichten|"
            r"schätzungen|umfrage|aussagen?|worten|erkenntnissen|recherchen|untersuchung|"
            r"analyse|prognose|daten|zahlen|auskunft|mitteilung|polizeiangaben|medienberichten|"
            r"medien|bewertung|schätzung|berechnungen|angaben)\b)",
            "before",
        ),
        (r"gemäß", "before"),
        (r"zufolge", "after"),
    ],
    "as_": ["wie"],
    "this": [r"das", r"dies", r"darüber", r"dazu"],
    "comp": ["dass", "daß", "ob"],
    "about": ["von", "über"],
    "lead": "so auch dazu dabei zudem außerdem weiter weiterhin ferner später zuvor dann "
    "am im in nach vor bereits außerdem gleichzeitig und aber doch jedoch zugleich nun "
    "gestern heute gegenüber".split(),
    "cut": "am im in auf bei nach vor gegenüber während vom beim auf am laut".split(),
    "pronouns": "er sie es ich wir".split(),
    "pron_markers": [
        r"(?P<src>seinen|ihren)\s+(?:Worten|Angaben)\s+zufolge",
        r"nach\s+(?P<src>seinen|ihren)\s+(?:Worten|Angaben)",
        r"(?P<src>seiner|ihrer)\s+(?:Ansicht|Meinung|Einschätzung)\s+nach",
    ],
    "adverbs": "auch noch ebenfalls zudem dann später".split(),
    "anon": "quelle kreis expert analyst anwohner augenzeug zeug nutzer sprecher sprecherin "
    "insider beobachter beamt mitarbeiter teilnehmer kritiker medienbericht medien "
    "ärzt arzt wissenschaftler ökonom fachleut diplomat bewohner einwohner demonstrant "
    "regierungskreis ermittler gegner befürworter".split(),
    "vague": "expert analyst nutzer beobachter medienbericht medien wissenschaftler ökonom "
    "fachleut kritiker".split(),
    "role": "minister kanzler präsident bürgermeister ministerpräsident chef vorsitzend "
    "direktor generalsekretär botschafter staatsanwalt richter anwalt abgeordnet trainer "
    "sprecher-in leiter gouverneur premier könig papst kommissar senator regierungschef "
    "parteichef bundeskanzler bundespräsident finanzminister außenminister innenminister "
    "gesundheitsminister verteidigungsminister landrat polizeichef vorstand geschäftsführer".split(),
    "org": "ministerium polizei regierung gewerkschaft amt agentur partei staatsanwaltschaft "
    "bundesamt landesamt gericht verband verein unternehmen konzern bank bundesbank unternehmen "
    "feuerwehr behörde rat parlament bundestag kommission nachrichtenagentur zeitung "
    "sender institut universität stiftung organisation bundesregierung landesregierung "
    "verwaltung stadt bundeswehr armee militär dpa afp reuters ard zdf uno un nato eu "
    "spiegel bild".split(),
    "doc": "bericht studie gutachten umfrage dokument schreiben brief papier erklärung "
    "mitteilung urteil entwurf analyse untersuchung statistik prognose".split(),
}

FR = {
    "quotes": [("«", "»"), ("“", "”"), ("‹", "›"), ('"', '"')],
    "cues": _romance(
        "déclaré affirmé dit indiqué précisé expliqué ajouté souligné estimé assuré annoncé "
        "rappelé averti insisté confié raconté reconnu admis jugé prévenu répondu martelé "
        "confirmé démenti nié dénoncé écrit lancé poursuivi regretté déploré observé noté "
        "signalé révélé affirmée déclarée réagi",
        "réagit déclare affirme dit indique précise explique ajoute souligne estime assure annonce "
        "rappelle avertit insiste confie raconte reconnaît admet juge prévient répond martèle "
        "confirme dément nie dénonce écrit lance poursuit regrette déplore observe note "
        "signale révèle estiment affirment indiquent racontent assurent expliquent disent "
        "déclarent soulignent jugent préviennent craignent redoutent pensent croient "
        "déclara affirma dit indiqua précisa expliqua ajouta souligna estima assura",
    )
    | {"félicité", "félicitée", "félicités", "indigné", "indignée", "inquiété", "inquiétée"},
    "aux": "a ont avait avaient aurait auraient a-t-il a-t-elle ont-ils ont-elles est s'est "
    "se sont s’est".split(),
    "object_cues": {"annoncé", "annoncée", "annonce", "annoncent"},
    "markers": [
        (r"selon", "before"),
        (r"d[’']après", "before"),
        (r"de\s+source", "before"),
        (r"aux\s+dires\s+de", "before"),
        (r"à\s+en\s+croire", "before"),
        (r"de\s+l[’']avis\s+de", "before"),
    ],
    "as_": ["comme", "ainsi\\s+que"],
    "this": [],
    "comp": ["que", "qu"],
    "about": [],
    "lead": "toujours ainsi également puis ensuite enfin mais et lundi mardi mercredi jeudi "
    "vendredi samedi dimanche hier".split(),
    "cut": "sur dans lors à au aux en devant lundi mardi mercredi jeudi vendredi samedi "
    "dimanche hier dans auprès".split(),
    "pronouns": "il elle ils elles je nous on lui eux".split(),
    "pron_markers": [],
    "adverbs": "aussi également encore ensuite enfin déjà".split(),
    "anon": "source proche expert analyste habitant témoin usager utilisateur porte-parole "
    "responsable observateur spécialiste médecin chercheur économiste riverain "
    "manifestant diplomate enquêteur critique média médias journal".split(),
    "vague": "expert analyste utilisateur observateur spécialiste chercheur économiste "
    "critique média médias".split(),
    "role": "ministre président premier maire chef secrétaire directeur directrice "
    "ambassadeur procureur juge avocat député sénateur entraîneur patron dirigeant "
    "gouverneur préfet pape roi commissaire présidente maire madame monsieur".split(),
    "org": "préfecture ministère parquet gouvernement police gendarmerie insee onu otan "
    "ue commission parlement assemblée sénat syndicat cgt cfdt sncf entreprise groupe "
    "banque conseil tribunal cour agence afp reuters pompiers mairie armée élysée matignon "
    "le monde libération figaro france".split(),
    "doc": "rapport étude enquête document lettre communiqué note jugement sondage arrêt "
    "décret texte projet analyse".split(),
}

ES = {
    "quotes": [("«", "»"), ("“", "”"), ("‘", "’"), ('"', '"')],
    "cues": _romance(
        "dicho declarado afirmado asegurado explicado señalado indicado añadido subrayado "
        "destacado advertido reconocido admitido anunciado informado precisado manifestado "
        "negado denunciado lamentado criticado insistido apuntado confirmado relatado contado "
        "escrito alertado",
        "dijo dijeron dice dicen declaró declararon afirmó afirmaron afirma afirman aseguró "
        "aseguraron asegura aseguran explicó explicaron explica señaló señalaron señala "
        "indicó indicaron indica añadió añadieron subrayó destacó advirtió advierte "
        "advierten reconoció admitió anunció informó informa informan precisó manifestó "
        "negó negaron denunció lamentó criticó insistió apuntó confirmó relató relataron "
        "contó cuenta cuentan escribió alertó estima estiman estimó considera consideran "
        "consideró cree creen sostiene sostienen sostuvo opina opinan agregó agrega "
        "aclaró recalcó",
    ),
    "aux": "ha han había habían habría".split(),
    "object_cues": {"anunció", "anuncia", "anunciaron", "negó", "niega"},
    "markers": [
        (r"según", "before"),
        (r"de\s+acuerdo\s+con", "before"),
        (r"a\s+juicio\s+de", "before"),
        (r"en\s+palabras\s+de", "before"),
        (r"en\s+opinión\s+de", "before"),
        (r"a\s+decir\s+de", "before"),
    ],
    "as_": ["como", "tal\\s+como"],
    "this": [r"así\s+lo", r"así"],
    "comp": ["que"],
    "about": ["de"],
    "lead": "también luego además después sin embargo pero y ayer hoy".split(),
    "cut": "en a durante tras ante desde ayer hoy".split(),
    "pronouns": "él ella ellos ellas yo nosotros".split(),
    "pron_markers": [],
    "adverbs": "también además luego después ya".split(),
    "anon": "fuente fuentes experto expertos analista vecin testigo usuario portavoz "
    "responsable observador especialista médico investigador economista funcionari "
    "manifestante diplomático crítico medios medio".split(),
    "vague": "experto expertos analista usuario observador especialista investigador "
    "economista crítico medios medio".split(),
    "role": "presidente presidenta ministro ministra alcalde alcaldesa jefe jefa secretari "
    "director directora embajador fiscal juez jueza abogad diputad senador senadora "
    "señor señora entrenador líder gobernador gobernadora delegad consejer rey papa comisari".split(),
    "org": "policía guardia ministerio gobierno ine onu otan ue comisión parlamento congreso "
    "senado sindicato ccoo ugt empresa grupo banco consejo tribunal juzgado agencia efe "
    "reuters bomberos ayuntamiento ejército moncloa organización partido país mundo".split(),
    "doc": "informe estudio encuesta documento carta comunicado nota sentencia auto decreto "
    "texto proyecto análisis".split(),
}

PL = {
    "quotes": [("„", "”"), ("„", "“"), ("«", "»"), ("»", "«"), ('"', '"')],
    "cues": _pl_past(
        "powiedzia stwierdzi poinformowa zapowiedzia poda przekaza doda zaznaczy podkreśli "
        "oświadczy wyjaśni przyzna zapewni ostrzeg ostrzega uzna oceni napisa ogłosi "
        "zdradzi przypomnia odpowiedzia potwierdzi zaprzeczy zaprzecza skomentowa opowiedzia "
        "tłumaczy twierdzi przekonywa mówi"
    )
    | {
        "ostrzegł",
        "mówi",
        "mówią",
        "twierdzi",
        "twierdzą",
        "uważa",
        "uważają",
        "podaje",
        "podają",
        "informuje",
        "informują",
        "pisze",
        "piszą",
        "zapewnia",
        "zapewniają",
        "przekonuje",
        "przekonują",
        "ocenia",
        "oceniają",
        "dodaje",
        "zaznacza",
        "podkreśla",
        "tłumaczy",
        "wyjaśnia",
        "alarmuje",
        "alarmują",
        "przyznaje",
        "ostrzega",
        "ostrzegają",
        "dowiedział",
        "dowiedziała",
        "dowiedziało",
        "dowiedzieli",
    },
    "object_cues": {"zapowiedział", "zapowiedziała", "zapowiedziało", "ogłosił", "ogłosiła"},
    "markers": [
        (r"według", "before"),
        (r"zdaniem", "before"),
        (r"jak\s+wynika\s+z", "before"),
        (r"w\s+opinii", "before"),
        (r"w\s+ocenie", "before"),
        (r"na\s+podstawie", "before"),
        (r"cytując", "before"),
    ],
    "as_": ["jak"],
    "this": [r"o\s+tym", r"tak"],
    "comp": ["że", "iż", "jakoby", "aby"],
    "about": ["o"],
    "lead": "również także następnie później wcześniej jednak ale i a wczoraj dziś dzisiaj".split(),
    "cut": "w we na po podczas dla w rozmowie z".split(),
    "pronouns": "on ona oni one ja my niego niej nich".split(),
    "pron_markers": [r"(?P<src>jego|jej|ich)\s+zdaniem"],
    "adverbs": "także również też jeszcze następnie potem później".split(),
    "anon": "źród źródło źródła rozmówc ekspert analityk mieszkań świadk świadek użytkownik "
    "rzeczni urzędni anonimow nieoficjal insider obserwator specjali lekarz naukow "
    "ekonomi dyplomat pracowni media medi krytyc".split(),
    "vague": "ekspert analityk użytkownik obserwator specjali naukow ekonomi media medi krytyc".split(),
    "role": "premier minister prezydent prezes burmistrz prezydentka marszał wojewod szef "
    "szefow sekretarz dyrektor ambasador prokurator sędzi adwokat poseł posłanka senator "
    "pani pan trener lider przewodnicząc wicepremier wiceminister komisarz papież rzecznik-".split(),
    "org": "policj ministerstw rząd rzecz prokuratur sąd gus nbp nik sejm senat parlament "
    "komisj związek spółk firm bank agencj pap portal onet tvn polsat straż wojsko armia "
    "urząd inspektorat partia partii fundacj organizacj instytut uniwersytet onz nato ue "
    "rzeczpospolit gazet wyborcz".split(),
    "doc": "raport raportu badani dokument pismo pisma list komunikat wyrok decyzj projekt "
    "analiz sondaż ustaw".split(),
}

LANGUAGES: dict[str, dict] = {"ru": RU, "uk": UK, "de": DE, "fr": FR, "es": ES, "pl": PL}
