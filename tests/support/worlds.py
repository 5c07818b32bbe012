"""Two of everything, for the security tests: side A and side B, each with a youth, an association and a coordinator.

Each side keeps to itself: youth A is interested in association A's openings and referred by
coordinator X (region R1); youth B, association B and coordinator Y (region R2) mirror them.
Every personal or private value carries its side's marker ("mrka" / "mrkb") and a word of its
own, so a page that shows one of them can only have read it from the other side's rows.
Public values (association names, open openings' texts) carry no marker.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.security import generate_password_hash

from tests.support.signin import PASSWORD
from webapp import db
from webapp.models import (Association, Cohort, Interest, Job, Message, NextStep, Opening, Outcome, OutboxMail,
                           Proposal, Referral, SelfAssessment, User, WeightProfile, YouthProfile)
from webapp.services import notices
from webapp.states import (CohortState, InterestState, JobState, NextStepKind, OpeningStatus, OutcomeKind,
                           ProposalState, ReferralState, Role)
from webapp.engine.matches import Setting

HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
REGIONS = {"a": "Pohjois-Pohjanmaa", "b": "Lappi"}
TOWNS = {"a": "Oulu", "b": "Tornio"}
ADMIN_EMAIL = "admin.pääkäyttäjä@example.fi"


@dataclass
class Side:
    """One side's objects (ids and refs) and the markers of its private data."""

    key: str  # "a" or "b"
    youth_user_id: int = 0
    youth_id: int = 0  # YouthProfile.id
    youth_ref: str = ""
    youth_email: str = ""
    completed_interest_id: int = 0
    message_id: int = 0  # the member's message in the youth's completed activity's conversation
    notice_id: int = 0  # the youth's notice of that message
    open_interest_id: int = 0  # still "interested": a decision on it would change rows
    association_id: int = 0
    member_id: int = 0
    member_email: str = ""
    open_ref: str = ""  # open, with youth's completed activity
    second_ref: str = ""  # open, with the youth's pending interest
    second_id: int = 0
    draft_ref: str = ""
    coordinator_id: int = 0
    coordinator_email: str = ""
    referral_id: int = 0
    cohort_id: int = 0
    suggestion_id: int = 0  # a sent cohort's proposal, waiting for the youth's answer
    weights_id: int = 0
    job_ref: str = ""
    mail_id: int = 0  # an outbox mail to the youth
    markers: dict[str, str] = field(default_factory=dict)  # what -> the unique text

    @property
    def region(self) -> str:
        return REGIONS[self.key]

    @property
    def private(self) -> list[str]:
        """Every personal or private text of this side (lower case; compare with a lower-cased page)."""
        return [m.lower() for m in self.markers.values()]


@dataclass
class Outsider:
    """Youth C: referred by coordinator X but has not agreed yet (pending), and once by Y, since ended.

    Nobody may see C's profile: no coordinator has C in scope, and C has no interest anywhere.
    X sees C's e-mail address in the list of X's own requests, as X typed it.
    """

    youth_id: int
    youth_ref: str
    email: str
    referral_ids: tuple[int, int]  # (X's pending, Y's ended)
    private: list[str]  # C's name and interests


@dataclass
class World:
    a: Side
    b: Side
    c: Outsider
    admin_id: int
    regionless_id: int  # a coordinator whose region is not set yet: sees no youth
    unattached_id: int  # an association account tied to no association: sees no applicant

    def other(self, side: Side) -> Side:
        return self.b if side is self.a else self.a

    @property
    def private(self) -> list[str]:
        return self.a.private + self.b.private + self.c.private + [self.c.email]


def _side(session, key: str) -> Side:
    tag = f"mrk{key}"
    side = Side(key=key)
    m = side.markers
    m["youth_name"] = f"Nuori {tag}-etunimi"
    m["youth_email"] = f"{tag}.nuori@example.fi"
    m["youth_interests"] = f"{tag}-harrastus kirjonta"
    m["youth_note"] = f"{tag}-viesti yhdistykselle"
    m["reference"] = f"{tag}-suositus ahkera"
    m["member_name"] = f"Jäsen {tag}-jäsennimi"
    m["member_email"] = f"{tag}.jasen@example.fi"
    m["coordinator_name"] = f"Koordinaattori {tag}-koordnimi"
    m["coordinator_email"] = f"{tag}.koord@example.fi"
    m["referral_note"] = f"{tag}-lähete huomio"
    m["message"] = f"{tag}-keskusteluviesti tervetuloa"
    m["cohort_name"] = f"{tag}-ryhmä kevät"
    m["weights_name"] = f"{tag}-painot"
    m["weights_note"] = f"{tag}-painohuomio"
    m["draft_title"] = f"{tag}-luonnos otsikko"
    m["draft_text"] = f"{tag}-luonnoksen kuvaus"
    side.youth_email, side.member_email, side.coordinator_email = (m["youth_email"], m["member_email"],
                                                                   m["coordinator_email"])
    town, region = TOWNS[key], REGIONS[key]
    association = Association(verified=True, name=f"Yhdistys {key.upper()} ry", municipality=town,
                              contact=f"info-{key}@yhdistys.example", description="Julkinen kuvaus.")
    member = User(email=m["member_email"], role=Role.ASSOCIATION, name=m["member_name"], password_hash=HASH,
                  association=association)
    youth_user = User(email=m["youth_email"], role=Role.YOUTH, name=m["youth_name"], password_hash=HASH)
    youth = YouthProfile(user=youth_user, age=17, interests=m["youth_interests"], themes=["animals"],
                         municipality=town, languages=["fi"], kinds=["volunteer"],
                         shared_fields=["email", "interests", "age"])
    coordinator = User(email=m["coordinator_email"], role=Role.COORDINATOR, name=m["coordinator_name"],
                       password_hash=HASH, region=region)
    common = dict(association=association, kind="volunteer", themes=["animals"], municipality=town, languages=["fi"])
    done = Opening(ref=f"o-{key}-open", status=OpeningStatus.OPEN, title=f"Eläinhoitaja {key.upper()}",
                   description="Avoin tehtävä.", capacity=5, filled=1, **common)
    second = Opening(ref=f"o-{key}-second", status=OpeningStatus.OPEN, title=f"Ulkoiluttaja {key.upper()}",
                     description="Toinen avoin tehtävä.", capacity=2, **common)
    draft = Opening(ref=f"o-{key}-draft", status=OpeningStatus.DRAFT, title=m["draft_title"],
                    description=m["draft_text"], **common)
    session.add_all([association, member, youth_user, youth, coordinator, done, second, draft])
    session.flush()
    started = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    completed = Interest(youth_id=youth.id, opening_id=done.id, state=InterestState.COMPLETED,
                         message=m["youth_note"], accepted_at=started, finished_at=started + dt.timedelta(days=30),
                         reference=m["reference"])
    pending = Interest(youth_id=youth.id, opening_id=second.id, message=m["youth_note"])
    referral = Referral(youth_id=youth.id, coordinator_id=coordinator.id, region=region, state=ReferralState.ACTIVE,
                        note=m["referral_note"], consented_at=started)
    setting = Setting.default()
    weights = WeightProfile(name=m["weights_name"], region=region, weights=setting.weights,
                            diversity=setting.diversity, note=m["weights_note"], active=True,
                            created_by=coordinator.id)
    session.add_all([completed, pending, referral, weights])
    session.flush()
    message = Message(interest_id=completed.id, sender_id=member.id, from_youth=False, body=m["message"])
    notice = notices.notify(session, youth_user.id, "youth_message", subject=f"interest:{completed.id}",
                            association=association.name, opening=done.title, interest_id=completed.id)
    session.add(message)
    session.add_all([Outcome(youth_id=youth.id, opening_id=done.id, outcome=k)
                     for k in (OutcomeKind.INTERESTED, OutcomeKind.ACCEPTED, OutcomeKind.COMPLETED)])
    session.add(Outcome(youth_id=youth.id, opening_id=second.id, outcome=OutcomeKind.INTERESTED))
    session.flush()
    session.add(NextStep(youth_id=youth.id, interest_id=completed.id, step=NextStepKind.EDUCATION,
                         recorded_by=coordinator.id))
    session.add(SelfAssessment(youth_id=youth.id, scores={"daily_routine": 3, "work_skills": 4}))
    job = Job(kind="learn", state=JobState.FAILED, message="", params={"profile_id": weights.id, "region": region},
              created_by=coordinator.id, finished_at=started)
    cohort = Cohort(name=m["cohort_name"], region=region, youth_ids=[youth.id], opening_ids=[second.id],
                    created_by=coordinator.id, state=CohortState.PROPOSED)  # adjustable: move and remove look further
    session.add_all([job, cohort])
    session.flush()
    session.add(Proposal(cohort_id=cohort.id, youth_id=youth.id, opening_id=second.id, fit=0.5))
    sent = Cohort(name=f"{m['cohort_name']} (sent)", region=region, youth_ids=[youth.id], opening_ids=[done.id],
                  created_by=coordinator.id, state=CohortState.SENT)
    session.add(sent)
    session.flush()
    suggestion = Proposal(cohort_id=sent.id, youth_id=youth.id, opening_id=done.id, fit=0.5,
                          state=ProposalState.SUGGESTED)  # waiting for the youth's answer
    session.add(suggestion)
    mail = OutboxMail(message_id=f"<world-{key}@polku.test>", to=youth_user.email, language="fi", subject="Hei",
                      text="Tervetuloa.", reason="Saat tämän viestin testissä.")
    session.add(mail)
    session.flush()
    side.mail_id = mail.id
    side.youth_user_id, side.youth_id, side.youth_ref = youth_user.id, youth.id, youth.ref
    side.completed_interest_id, side.open_interest_id = completed.id, pending.id
    side.message_id, side.notice_id = message.id, notice.id
    side.association_id, side.member_id = association.id, member.id
    side.open_ref, side.second_ref, side.draft_ref, side.second_id = done.ref, second.ref, draft.ref, second.id
    side.coordinator_id, side.referral_id = coordinator.id, referral.id
    side.cohort_id, side.weights_id, side.job_ref = cohort.id, weights.id, job.ref
    side.suggestion_id = suggestion.id
    return side


def build(app: Flask) -> World:
    """Both sides and an administrator, committed."""
    with app.app_context():
        session = db.get_session()
        a = _side(session, "a")
        b = _side(session, "b")
        admin = User(email=ADMIN_EMAIL, role=Role.ADMIN, name="Pääkäyttäjä", password_hash=HASH)
        c_user = User(email="mrkc.nuori@example.fi", role=Role.YOUTH, name="Nuori mrkc-etunimi", password_hash=HASH)
        c = YouthProfile(user=c_user, age=16, interests="mrkc-harrastus kirjonta", themes=["animals"],
                         municipality="Oulu", languages=["fi"], shared_fields=["email", "interests"])
        regionless = User(email="ilman.aluetta@example.fi", role=Role.COORDINATOR, name="Uusi koordinaattori",
                          password_hash=HASH)
        unattached = User(email="ilman.yhdistysta@example.fi", role=Role.ASSOCIATION, name="Irrallinen jäsen",
                          password_hash=HASH)
        session.add_all([admin, regionless, unattached, c_user, c])
        session.flush()
        pending = Referral(youth_id=c.id, coordinator_id=a.coordinator_id, region=a.region,
                           state=ReferralState.PENDING, note="Tervetuloa")
        ended = Referral(youth_id=c.id, coordinator_id=b.coordinator_id, region=b.region, state=ReferralState.ENDED,
                         note="Päättynyt", consented_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                         ended_at=dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc))
        session.add_all([pending, ended])
        session.add(SelfAssessment(youth_id=c.id, scores={"daily_routine": 2}))
        session.commit()
        outsider = Outsider(youth_id=c.id, youth_ref=c.ref, email=c_user.email, referral_ids=(pending.id, ended.id),
                            private=["nuori mrkc-etunimi", "mrkc-harrastus kirjonta"])
        return World(a=a, b=b, c=outsider, admin_id=admin.id, regionless_id=regionless.id,
                     unattached_id=unattached.id)


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two equal snapshots mean nothing changed."""
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    with app.app_context():
        connection = db.get_session().connection()
        found = {}
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).all()
            found[table.name] = sorted((tuple(map(repr, row)) for row in rows))
        db.get_session().rollback()
        return found
