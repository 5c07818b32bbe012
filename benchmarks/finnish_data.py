"""Long Finnish openings and never-seen youths for `benchmarks.finnish`, composed offline.

The repository holds no long Finnish job ads: its Finnish texts are the 139 short Finnish
openings of fixtures/ (564 sentences, about 2,000 distinct words). So each opening here is
composed: sentences drawn from those with a fixed seed until it holds about 350 words,
and 3 words in 100 replaced by a compound of two fixture nouns (a base form + an inflected
noun, Zipf-drawn: "kaukalo" + "kioskilla"), which Voikko reads as compounds. Without them
the vocabulary would stop at the fixtures' 2,000 words whatever the size; with them it
grows with the catalogue as real ads' does (about 36,000 distinct words at 10^4 openings,
where the issue's 10^4 real ads held 33,000). Youths write one or two occupation names in
the style of ESCO's Finnish labels, written by hand below, most of them unknown words.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np

from matching import Opening, Youth
from matching.geo import municipalities
from matching.model import Kind
from matching.text import guess_language, words

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "fixtures" / "openings.jsonl", ROOT / "fixtures" / "regions" / "openings.jsonl")
WORDS_PER_OPENING = 350
COMPOUND_RATE = 0.03  # share of words replaced by a composed compound
ZIPF = 1.1  # exponent of the rank weights the compounds' parts are drawn with
RADII_KM = (20.0, 50.0, 100.0)

# Occupation names in the manner of ESCO's Finnish labels (written for this benchmark).
OCCUPATIONS = """avustava kaivostyöntekijä; metsäkoneteknikko; palotarkastaja; lähihoitaja; sairaanhoitaja;
lastenhoitaja; varhaiskasvatuksen opettaja; nuoriso-ohjaaja; liikunnanohjaaja; kokki; kylmäkkö; tarjoilija;
baarimestari; myyjä; kassatyöntekijä; varastotyöntekijä; trukinkuljettaja; kuorma-autonkuljettaja;
linja-autonkuljettaja; taksinkuljettaja; sähköasentaja; putkiasentaja; kirvesmies; kattoasentaja; maalari;
rappari; laatoittaja; muurari; hitsaaja; koneistaja; levyseppä; automekaanikko; kodinkoneasentaja;
ilmastointiasentaja; puutarhuri; viherrakentaja; maatalouslomittaja; karjanhoitaja; kalastaja; metsuri;
metsäkoneenkuljettaja; eläintenhoitaja; eläinlääkärin avustaja; koiranhoitaja; hevostenhoitaja; siivooja;
laitoshuoltaja; kiinteistönhoitaja; talonmies; vahtimestari; vartija; järjestyksenvalvoja; turvatarkastaja;
palomies; ensihoitaja; tullivirkailija; kirjastovirkailija; arkistonhoitaja; toimistosihteeri;
asiakaspalvelija; puhelinmyyjä; markkinointiassistentti; graafinen suunnittelija; valokuvaaja; videokuvaaja;
äänitarkkailija; valosuunnittelija; näyttelijä; muusikko; tanssinopettaja; kuvataideopettaja;
ohjelmistokehittäjä; verkkosivujen suunnittelija; tietotekniikan tukihenkilö; pelisuunnittelija; datanomi;
kirjanpitäjä; palkanlaskija; pankkivirkailija; vakuutusneuvoja; kiinteistönvälittäjä; matkaopas;
vastaanottovirkailija; kerroshoitaja; leipuri; kondiittori; lihanleikkaaja; kalankäsittelijä; pizzakokki;
kahvilatyöntekijä; barista; kioskimyyjä; lipunmyyjä; kuljetuslähetti; postinjakaja; lehdenjakaja;
muuttomies; rakennusapumies; asfalttityöntekijä; tienrakentaja; sahatyöntekijä; paperikoneenhoitaja;
prosessinhoitaja; laborantti; hammashoitaja; farmaseutti; optikko; kampaaja; parturi; kosmetologi; hieroja;
fysioterapeutti; uimavalvoja; hiihdonopettaja; erämaaopas; leiriohjaaja; koulunkäynninohjaaja;
henkilökohtainen avustaja; omaishoitaja; vanhustyön ohjaaja; kehitysvammaisten ohjaaja; tulkki; kääntäjä;
toimittaja; taittaja; painotyöntekijä; ompelija; verhoilija; suutari; kultaseppä; kelloseppä;
soitinrakentaja; puuseppä; venerakentaja; lentokonemekaanikko; laivakokki; kansimies; satamatyöntekijä;
kaivosmittaaja; louhintamies; porari; panostaja; rikastamotyöntekijä; voimalaitoksen käyttäjä;
vesihuoltoasentaja; jätehuoltotyöntekijä; kierrätystyöntekijä; pakkaaja; tuotantotyöntekijä;
elintarviketyöntekijä; meijerityöntekijä; teurastamotyöntekijä; kasvihuonetyöntekijä; marjanpoimija;
taimitarhatyöntekijä; golfkentänhoitaja; jäähallin hoitaja; uimahallin valvoja; kuntosaliohjaaja;
ratsastuksenopettaja; valmentaja; erotuomari; kenttämies""".replace("\n", " ").split(";")


@lru_cache(maxsize=1)
def sentences() -> tuple[str, ...]:
    """Every sentence (and title) of the fixtures' openings whose language the engine guesses Finnish."""
    out: list[str] = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if guess_language(words(f"{r['title']}. {r.get('description', '')}")) != "fi":
                continue
            out.append(r["title"].rstrip(".!?") + ".")
            out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", r.get("description", "")) if s.strip())
    return tuple(out)


@lru_cache(maxsize=1)
def compound_parts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(noun base forms, inflected nouns as written) of the fixtures' Finnish words, via Voikko;
    empty when Voikko is missing (then no compounds are composed)."""
    try:
        import libvoikko

        voikko = libvoikko.Voikko("fi")
    except Exception:  # no library or no dictionary: the texts are the sentences alone
        return (), ()
    bases, nouns = set(), []
    for w in sorted({w for s in sentences() for w in words(s)}):
        a = voikko.analyze(w)
        if a and a[0].get("CLASS") == "nimisana":
            base = a[0]["BASEFORM"].lower()
            if len(base) >= 4 and "-" not in base:
                bases.add(base)
            if len(w) >= 4:
                nouns.append(w)
    return tuple(sorted(bases)), tuple(nouns)


def _zipf(n: int) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** ZIPF
    return w / w.sum()


def _compounds(rng: np.random.Generator, bases: tuple[str, ...], nouns: tuple[str, ...]) -> Iterator[str]:
    """Endless compounds, drawn in bulk (a numpy call per word would cost more than the text)."""
    while bases:
        b = rng.choice(len(bases), size=100_000, p=_zipf(len(bases)))
        w = rng.choice(len(nouns), size=100_000, p=_zipf(len(nouns)))
        yield from (bases[x] + nouns[y] for x, y in zip(b.tolist(), w.tolist()))


def openings(n: int, seed: int = 0) -> Iterator[Opening]:
    """n composed openings of about 350 words, in random municipalities, ages 15-18 and up."""
    rng = np.random.default_rng(seed)
    pool = sentences()
    lengths = np.array([len(s.split()) for s in pool])
    bases, nouns = compound_parts()
    places = [m.place for m in municipalities()]
    kinds = list(Kind)
    compounds = _compounds(rng, bases, nouns)
    for i in range(n):
        picks = rng.integers(0, len(pool), size=WORDS_PER_OPENING // 4)  # more than enough sentences
        upto = int(np.searchsorted(np.cumsum(lengths[picks]), WORDS_PER_OPENING)) + 1
        tokens = " ".join(pool[p] for p in picks[:upto]).split(" ")
        for pos in np.flatnonzero(rng.random(len(tokens)) < COMPOUND_RATE).tolist() if bases else ():
            old, new = tokens[pos], next(compounds)
            tokens[pos] = (new.capitalize() if old[0].isupper() else new) + (old[-1] if old[-1] in ".,!?" else "")
        title, _, rest = " ".join(tokens).partition(". ")
        yield Opening(f"fi-{i}", title, rest, kind=kinds[int(rng.integers(len(kinds)))],
                      place=places[int(rng.integers(len(places)))], min_age=int(rng.integers(15, 19)),
                      languages=frozenset({"fi"}))


def youths(n: int, seed: int = 1) -> list[Youth]:
    """n youths, each with one or two occupation names as interests, a home, a radius and an age."""
    rng = np.random.default_rng(seed)
    names = [o.strip() for o in OCCUPATIONS if o.strip()]
    places = [m.place for m in municipalities()]
    out = []
    for i in range(n):
        picked = rng.choice(len(names), size=int(rng.integers(1, 3)), replace=False)
        out.append(Youth(f"fi-y-{i}", interests=", ".join(names[j] for j in picked),
                         place=places[int(rng.integers(len(places)))],
                         max_travel_km=RADII_KM[int(rng.integers(len(RADII_KM)))], age=int(rng.integers(16, 30))))
    return out
