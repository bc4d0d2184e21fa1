"""The Swedish text of the files ``vastbus new`` writes: every field explained where it is filled in.

Pure: each function returns a file's text. The comments are for the people who fill the files
in (a district's trainers, the course editors), in plain Swedish. Fields the tool is about to
learn are shown only as comments, so every file validates as written.
"""

from __future__ import annotations

import json
import textwrap

from vastbus_cli.models import Edition

#: The minutes a new local part asks for, when the course's tracks have them to spare.
LOCAL_MINUTES = 10


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one), å, ä, ö kept as they are."""
    return json.dumps(text, ensure_ascii=False)


def _listed(label: str, ids: list[str], indent: str = "# ") -> str:
    """A comment listing ids, wrapped: ``# Kursens moduler: a, b, c``."""
    if not ids:
        return ""
    lines = textwrap.wrap(f"{label}: {', '.join(ids)}.", width=88 - len(indent), break_on_hyphens=False)
    return "".join(f"{indent}{line}\n" for line in lines)


def local_file(
    *,
    key: str,
    place_id: str,
    name: str,
    edition: str,
    modules: list[str],
    audiences: list[str],
    sections: list[str],
    both: bool,
    minutes: int,
) -> str:
    """A local file for a district (``key`` "district") or a city area ("area"), with examples marked as examples."""
    place_word = "område" if key == "district" else "stadsområde"
    who = f"{place_word}t"
    scope = (
        "Tillägget gäller bara det här området."
        if key == "district"
        else "Tillägget gäller alla områden i stadsområdet och kommer före områdenas egna tillägg."
    )
    both_note = (
        f"# Obs: {place_id} är både ett område och ett stadsområde. Filen gäller området. Skriv\n"
        f"# area: {place_id} i stället för district: om den ska gälla hela stadsområdet.\n"
        if both
        else ""
    )
    after = "ett-fall" if "ett-fall" in modules else (modules[-1] if modules else "<modulens id>")
    minutes_note = (
        f".\n# Här fanns bara {minutes} minuter kvar; be kursägaren om mer tid om ni behöver den."
        if minutes < LOCAL_MINUTES
        else "."
    )
    audience_example = ", ".join(audiences[:2]) if audiences else "forskola"
    return f"""\
# yaml-language-server: $schema=../../schemas/local.schema.json
#
# Lokalt tillägg för {name}. Skapat med: vastbus new local {place_id}
#
# Här skriver {who} det som bara gäller hos er: vilka deltagarna kontaktar, era rutiner
# och goda exempel. Den centrala kursen är densamma överallt; det här läggs till i
# {who}s utbildningspaket (bildspel, deltagarmaterial och utbildarhandledning).
# {scope}
#
# Vem fyller i: {who}s utbildare, tillsammans med den som kan bekräfta uppgifterna i er
# verksamhet.
#
# Vem ser vad:
#   - Deltagarna ser bildspelet och deltagarmaterialet.
#   - Utbildaren ser dessutom utbildarhandledningen: talarstöd (notes), goda exempel och
#     det {who} ännu inte har bekräftat.
#
# Allt som står "Exempel – byt ut" är exempel. Byt ut det mot era egna uppgifter, eller ta
# bort det. Kör sedan: vastbus check
# Rader som börjar med # är kommentarer; ta bort # för att använda en rad.
# Editorn (till exempel VS Code) visar förklaringen till varje fält när du skriver.
{both_note}
# Vilket {place_word} tillägget gäller: id:t i curriculum/districts.yaml (samma som mappens namn).
{key}: {place_id}

# Den utgåva av riktlinjen som texten är skriven mot (den som gäller i dag).
# Ändra den inte för hand: vastbus upgrade flyttar den när en ny utgåva kommer.
built_on: {edition}

# Rubriken på den lokala delens första bild. Deltagarna ser den.
title: {quoted(f"Lokalt i {name}")}

# Efter vilken modul den lokala delen kommer. Utan after kommer den efter kursens sista
# modul. Behövs när ni har egna bilder (slides).
{_listed("Kursens moduler", modules)}# after: {after}

# Hur många minuter den lokala delen tar i schemat. Kursens spår har en tidsram som de
# lokala delarna ska rymmas i{minutes_note}
minutes: {minutes}

# Bara för vissa yrkesgrupper? Utan audiences får alla yrkesgrupper den lokala delen.
{_listed("Kursens yrkesgrupper", audiences)}# audiences: [{audience_example}]

# När {who} har gått igenom allt och bekräftat det: vem (en roll, inget namn) och vilken dag.
# confirmed: {{by: "rollen som bekräftade, inget namn", on: ÅÅÅÅ-MM-DD}}

# Kontakter: vem deltagarna vänder sig till hos er. Skriv en roll, aldrig en persons namn.
#   role:          rollen, till exempel "Rektor för förskolan där barnet går"
#   organisation:  verksamheten där rollen finns
#   how:           hur man når den: kontaktcenter, intranät, växel …
#   verified:      true först när {who} har bekräftat att kontaktvägen stämmer.
#                  En obekräftad kontakt visas inte för deltagarna; utbildarhandledningen
#                  tar upp den som något {who} ska bekräfta.
#   audiences:     (valfritt) visa bara för dessa yrkesgrupper, till exempel [{audience_example}]
contacts:
  - role: "Exempel – byt ut: rollen deltagarna ska kontakta"
    organisation: "Exempel – byt ut: verksamheten där rollen finns"
    how: "Exempel – byt ut: hur man når rollen"
    verified: false
    # audiences: [{audience_example}]   # visa bara för dessa yrkesgrupper

# Rutiner: hur ni gör hos er, steg för steg.
#   id:         ett kort namn som inte ändras (små bokstäver och bindestreck)
#   title:      rutinens rubrik på bilden
#   steps:      stegen i ordning, korta meningar; deltagarna ser dem numrerade
#   notes:      talarstöd till utbildaren: vad hen säger och frågar (krävs)
#   verified:   true när {who} har fastställt rutinen; en rutin som inte är
#               fastställd visas inte för deltagarna
#   audiences:  (valfritt) bara för dessa yrkesgrupper
#   refs:       (valfritt) avsnitt i riktlinjen som rutinen bygger på, skrivna som i
#               curriculum/modules/*.yaml.
{_listed(f"Avsnitten i {edition}", sections, "#               ")}routines:
  - id: exempel-rutin
    title: "Exempel – byt ut: rutinens rubrik"
    steps:
      - "Exempel – byt ut: första steget."
      - "Exempel – byt ut: nästa steg."
    notes: |
      Exempel – byt ut: vad utbildaren säger om rutinen och vad hen frågar gruppen.
    verified: false           # true när {who} har fastställt rutinen
    # audiences: [{audience_example}]   # visa bara för dessa yrkesgrupper

# Egna bilder (valfritt): samma fält som bilderna i curriculum/modules/*.yaml, och
# talarstöd (notes) krävs. Kräver after: ovan.
# slides:
#   - id: lokalt-exempel
#     layout: content
#     title: "Så gör vi hos oss"
#     bullets:
#       - "En kort mening per punkt."
#     notes: |
#       Vad utbildaren säger och frågar.

# Goda exempel (valfritt): något som fungerar hos er. Utbildaren ser dem i handledningen.
#   share: true   föreslår exemplet till den centrala kursen (rapporten och webbplatsen listar det)
#   why:          kort: varför exemplet är bra för andra
#   audiences:    (valfritt) vilka yrkesgrupper exemplet gäller
# examples:
#   - id: exempel-gott-exempel
#     title: "Rubrik"
#     summary: "Vad ni gör, med några meningar."
#     share: false
#     # why: "Varför andra har nytta av det."
#     # audiences: [{audience_example}]
"""


def edition_file(
    *, edition_id: str, previous: Edition, in_force: str, title: str | None, sources: str, sections: str
) -> str:
    """A new edition superseding ``previous``: its sections and sources as written there, nothing else copied."""
    full = quoted(title) if title else quoted("FYLL I: utgåvans fullständiga titel, som dokumentet heter")
    short = quoted(title) if title else quoted("FYLL I: ett kort namn för sidfötter och listor")
    short_note = "# Korta gärna: short_title står i sidfötter och listor.\n" if title else ""
    return f"""\
# yaml-language-server: $schema=../curriculum/schemas/edition.schema.json
#
# En ny utgåva av riktlinjen, som ersätter {previous.id}. Skapad med: vastbus new edition {edition_id}
#
# Fyll i allt som börjar med "FYLL I". Avsnitten (sections) och källorna (sources) är
# kopierade ordagrant från {previous.id}: ändra de avsnitt som den nya texten ändrar, och
# skriv för varje ändring en rad i changes längst ned. Ett avsnitt som inte ändras lämnas
# som det är, så att dess fingeravtryck stämmer.
#
# Termer (terms), lagar (laws) och missuppfattningar (claims) ärvs från {previous.id} och
# utgåvorna före den, genom supersedes. Kopiera dem inte hit: samma id två gånger är fel.
# Skriv bara nya här, med nya id.
#
# Avsnitt med updates: en ändring som skedde innan den nya utgåvan började gälla skrivs in i
# avsnittets egen text om den nya utgåvan säger det (och deklareras i changes). Till dess
# varnar vastbus check (guideline/update-date).
#
# Sedan: vastbus check, vastbus diff {previous.id} {edition_id}, och vastbus upgrade --to {edition_id}
# (se "En ny version av riktlinjen" i docs/recept.md).
id: {edition_id}
title: {full}
{short_note}short_title: {short}
kind: {previous.kind.value}
adopted_by:
  - by: "FYLL I: vem som antog utgåvan, som källorna skriver det"
    # on: ÅÅÅÅ-MM-DD      # när den antogs, om det står i källan
    unverified: "Vem som antog utgåvan och när är inte ifyllt ännu."
# adopted: ÅÅÅÅ-MM        # när utgåvan antogs, om det står i källan
valid_from: {in_force}
supersedes: {previous.id}
# Lägg till källan till den nya utgåvan (key, url, title); ta bort källor som inte längre behövs.
{sources}
summary: "FYLL I: vad utgåvan är och vad som ändrades, några meningar på svenska."
unverified:
  - {quoted(f"Avsnitten är kopierade från {previous.id} och ännu inte lästa mot den nya utgåvans text.")}
# Text som namnger den här utgåvan i andras filer (reguljära uttryck), till exempel:
# markers:
#   - "justera\\\\w*\\\\s+(i\\\\s+)?januari\\\\s+2023"
{sections}
# Hur varje avsnitt ändrades från {previous.id}: editorial, substantive, renamed (from),
# split (into), merged (from), withdrawn, new eller unverified. Tomt: inget ändrat ännu.
# changes:
#   - section: <avsnittets id>
#     change: substantive
#     note: "Vad som ändrades."
changes: []
"""


def districts_file(place_id: str, name: str) -> str:
    """A new municipality's ``districts.yaml``: the municipality as its one district."""
    return f"""\
# yaml-language-server: $schema=schemas/districts.schema.json
# Områdena som ger utbildningen. Varje område får egna utbildningspaket (build/<id>/)
# och kan ha ett eget lokalt tillägg i curriculum/local/<id>/ (vastbus new local <id>).
#
# Listan måste ha minst ett område. Därför står kommunen själv här som det enda. Lägg
# till fler områden (till exempel stadsdelar eller förvaltningar) om de ska ha egna
# paket, och ta bort kommunen om den inte ska ha ett eget.
#
# Id:n används i mappnamn och ska inte ändras när paketen väl används: små bokstäver,
# siffror och bindestreck (å, ä, ö går bra).
#
# areas behövs bara om kommunen har stadsområden som delar ett lokalt tillägg (som
# Göteborg). Ett område kan då ange area: <stadsområdets id>.
districts:
  - id: {place_id}
    name: {quoted(name)}
"""
