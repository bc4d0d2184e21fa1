"""Local additions: ``curriculum/local/<district or area>/<name>.yaml``."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import FullDate, Identifier, Strict
from vastbus_cli.models.slides import AudienceIds, Discusses, Refs, Slide


class Contact(Strict):
    """Who to contact locally; only a contact the district has confirmed reaches participants."""

    role: str = Field(
        description="Whom to contact, by role, never by name.",
        examples=["Rektor för förskolan där barnet går", "Vårdcentralen där barnet är listat, eller barnets BVC"],
    )
    organisation: str = Field(
        description="Where the role sits.",
        examples=["Göteborgs Stad, förskolan i Angered", "Primärvården i Västra Götalandsregionen"],
    )
    how: str = Field(
        description="How to reach them.",
        examples=["Via Göteborgs Stads kontaktcenter."],
    )
    verified: bool = Field(
        False,
        description="true when the district has confirmed the contact. Only confirmed contacts are on the "
        "slides and in the handout; the trainer guide lists the rest to confirm.",
        examples=[True],
    )
    audiences: AudienceIds = None


class Routine(Strict):
    """A local routine, step by step."""

    id: Identifier = Field(
        description="Stable id within the file.", examples=["starta-sip-fran-forskolan", "kallelse-till-fel-enhet"]
    )
    title: str = Field(
        description="The routine's title, on its slide.",
        examples=["Starta en SIP från förskolan"],
    )
    steps: list[str] = Field(
        min_length=1,
        description="The steps in order; numbered on the slides, up to 8 a slide.",
        examples=[
            [
                "Rektor, eller den rektor utser, pratar med vårdnadshavarna och frågar: "
                "Vad är viktigt för er och för barnet?"
            ]
        ],
    )
    notes: str | None = Field(
        None,
        description="Speaker notes for the routine's slide; required.",
        examples=["Gå igenom stegen och fråga gruppen vilket steg som är svårast på er arbetsplats."],
    )
    verified: bool = Field(
        False,
        description="true when the district has decided the routine. Only decided routines are on the slides "
        "and in the handout; the trainer guide lists the rest to decide.",
        examples=[True],
    )
    audiences: AudienceIds = None
    refs: Refs = Field(default_factory=list)
    discusses: Discusses = Field(default_factory=list)


class Example(Strict):
    """A local good example; ``share: true`` proposes it for the central course."""

    id: Identifier = Field(description="Stable id within the file.", examples=["samtalsstod-forskola"])
    title: str = Field(
        description="The example's title.",
        examples=["Förslag till den centrala kursen: samtalsstöd inför förskolans första samtal om SIP"],
    )
    summary: str = Field(
        description="What the example is, in a few sentences.",
        examples=["Förslag från Angered, inte en beskrivning av hur området arbetar i dag."],
    )
    share: bool = Field(
        False,
        description="true proposes the example for the central course (vastbus report and the site list it).",
        examples=[True],
    )
    why: str | None = Field(
        None,
        description="Why the central course should take it up, in a sentence; shown with the proposal.",
        examples=["Pedagogerna kände sig tryggare i det första samtalet med familjen."],
    )
    audiences: AudienceIds = None
    refs: Refs = Field(default_factory=list)
    discusses: Discusses = Field(default_factory=list)


class Confirmation(Strict):
    """Who in the district confirmed the local part as a whole, and when."""

    by: str = Field(
        min_length=1, description="Who confirmed it, by role.", examples=["Områdets samordnare för Västbus"]
    )
    on: FullDate = Field(description="The day it was confirmed, YYYY-MM-DD.", examples=["2026-11-30"])


class LocalAddition(Strict):
    """``curriculum/local/<district or area>/<name>.yaml``: local additions.

    ``district`` names one district; ``area`` shares the addition with every district
    of a city area, written once.
    """

    district: Identifier | None = Field(
        None,
        description="The district this addition is for; its folder's name. Give district or area, not both.",
        examples=["angered", "örgryte-härlanda"],
    )
    area: Identifier | None = Field(
        None,
        description="A city area: the addition goes into every district of the area. Give district or area.",
        examples=["nordost", "hisingen"],
    )
    built_on: Identifier = Field(
        description="The guideline edition the addition was written against; vastbus upgrade moves it.",
        examples=["bou-halsa-2023"],
    )
    title: str = Field(
        description="The local part's title, on its divider slide.",
        examples=["Lokalt i Angered: så startar förskolan en SIP"],
    )
    after: Identifier | None = Field(
        None, description="Module after which the slides go.", examples=["vem-tar-initiativ", "kallelse-och-mote"]
    )
    audiences: AudienceIds = None
    confirmed: Confirmation | None = Field(
        None,
        description="Who confirmed the local part and when; the status page shows the date. Confirm each "
        "contact and routine with 'verified: true' too.",
        examples=[{"by": "Områdets samordnare för Västbus", "on": "2026-11-30"}],
    )
    minutes: int = Field(10, ge=0, le=120, description="Minutes the local part takes in the schedule.", examples=[10])
    contacts: list[Contact] = Field(
        default_factory=list,
        description="Local contacts, shown as a table and on the closing slide.",
        examples=[
            [
                {
                    "role": "Rektor för förskolan där barnet går",
                    "organisation": "Göteborgs Stad, förskolan i Angered",
                    "how": "Enligt intranätet (förskolans kontaktuppgifter).",
                    "verified": True,
                    "audiences": ["forskola"],
                }
            ]
        ],
    )
    routines: list[Routine] = Field(
        default_factory=list,
        description="Local routines, each as numbered steps on slides.",
        examples=[
            [
                {
                    "id": "kallelse-till-fel-enhet",
                    "title": "När en kallelse till SIP hamnar hos fel enhet",
                    "steps": ["Läs kallelsen och se vilket barn och vilka frågor den gäller."],
                    "notes": "Gå igenom stegen och fråga vem som tar emot kallelser hos er.",
                    "verified": True,
                }
            ]
        ],
    )
    slides: list[Slide] = Field(
        default_factory=list,
        description="Local slides; the same fields as a module's, and notes are required.",
        examples=[
            [
                {
                    "id": "lokalt-angered",
                    "layout": "section",
                    "title": "Lokalt i Angered",
                    "bullets": ["Rutiner och kontakter i området"],
                    "notes": "Här börjar den lokala delen för Angered.",
                }
            ]
        ],
    )
    examples: list[Example] = Field(
        default_factory=list,
        description="Local good examples; share: true proposes one for the central course.",
        examples=[[{"id": "samtalsstod-forskola", "title": "…", "summary": "…", "share": True, "why": "…"}]],
    )

    def unconfirmed(self) -> tuple[list[Contact], list[Routine]]:
        """The contacts and routines the district has not confirmed: never shown to participants."""
        return [c for c in self.contacts if not c.verified], [r for r in self.routines if not r.verified]
