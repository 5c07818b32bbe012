"""More data on top of the demo seed, so every page of every role is as full as a busy season makes it:
an association with many openings (long titles, every state of interest), a youth with many activities
and a certificate, a coordinator with cohorts and proposals, weight profiles and a learning suggestion.

Run against the database in DATABASE_URL (`python -m tests.support.busy_world`); prints, as JSON, the
ids and refs the pages' addresses need. The browser's reflow test (`tests/browser/test_reflow.py`)
serves the result.
"""
from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, col, select

from webapp import create_app, db
from webapp.cli.commands import DEMO_DOMAIN
from webapp.engine.matches import Setting
from webapp.engine.matcher import get_matcher
from webapp.mail.outbox import queue_mail
from webapp.models import (Association, Cohort, Interest, Job, Message, MessageReport, Opening, Outcome, Referral,
                           User, YouthProfile)
from webapp.services import cohorts, messages, notice_mail, notices
from webapp.services.decisions import REFERENCE_MAX_LENGTH
from webapp.services import weights as ws
from webapp.services import weights_learning as learning
from webapp.states import InterestState, JobState, OpeningStatus, OutcomeKind, Role

ASSOCIATION = f"oulun-elainsuojeluyhdistys-ry@{DEMO_DOMAIN}"
YOUTH = f"y-1@{DEMO_DOMAIN}"
COORDINATOR = f"coordinator@{DEMO_DOMAIN}"
UTC = dt.timezone.utc
STATES = [InterestState.INTERESTED, InterestState.ACCEPTED, InterestState.COMPLETED, InterestState.DECLINED,
          InterestState.DROPPED, InterestState.INTERESTED]
TITLES = ["Koiranulkoiluttajaksi löytöeläintalolle viikonloppuisin ja arki-iltaisin",
          "Kissojen hoitaja ja tarhojen siivousapu (työkokeilu kolmeksi kuukaudeksi)",
          "Eläinsuojeluyhdistyksen tapahtumien järjestelyapulainen Oulun keskustassa",
          "Somepäivittäjä: kuvaa ja kirjoita löytöeläinten tarinoita yhdistyksen kanavilla",
          "Kesäleirin ohjaajan apulainen – eläinleiri 10–14-vuotiaille",
          "Lahjoitustavaroiden lajittelija ja kirpputorin myyjä",
          "Sijaiskotien yhteyshenkilö (puhelin ja sähköposti)",
          "Työkokeilu: eläintarvikekaupan varastotyöt ja asiakaspalvelu"]


def build() -> dict[str, object]:
    session = db.get_session()
    member = session.exec(select(User).where(User.email == ASSOCIATION)).one()
    association = session.get(Association, member.association_id)
    assert association is not None
    youth_user = session.exec(select(User).where(User.email == YOUTH)).one()
    youth = session.exec(select(YouthProfile).where(YouthProfile.user_id == youth_user.id)).one()
    others = list(session.exec(select(YouthProfile).where(YouthProfile.id != youth.id)
                               .order_by(col(YouthProfile.id))))
    start = dt.date.today() - dt.timedelta(days=60)
    openings = []
    for i, title in enumerate(TITLES):
        opening = Opening(ref=f"o-busy-{i}", association_id=association.id, title=title,  # type: ignore[arg-type]  # a stored row's id is set
                          status=OpeningStatus.DRAFT if i == len(TITLES) - 1 else OpeningStatus.OPEN,
                          description="Löytöeläintalo tarvitsee apua. " * 12,
                          kind="work_trial" if i % 2 else "volunteer",
                          themes=["animals"], municipality="Oulu", schedule=["ma-pe 12-20"],
                          start_date=start, end_date=start + dt.timedelta(days=150), capacity=20,
                          languages=["fi"])
        session.add(opening)
        openings.append(opening)
    session.flush()
    completed_id = None
    for i, opening in enumerate(openings[:-1]):
        for j, profile in enumerate([youth, *others[:5]]):
            state = STATES[(i + j) % len(STATES)]
            began = dt.datetime.combine(start, dt.time(10), tzinfo=UTC) + dt.timedelta(days=j)
            accepted = state in (InterestState.ACCEPTED, InterestState.COMPLETED, InterestState.DROPPED)
            ended = began + dt.timedelta(days=40) if state in (InterestState.COMPLETED, InterestState.DROPPED) else None
            interest = Interest(youth_id=profile.id, opening_id=opening.id, state=state,  # type: ignore[arg-type]  # a stored row's id is set
                                message="Olen kiinnostunut, koska pidän eläimistä ja haluan oppia uutta. " * 3,
                                created_at=began, updated_at=ended or began,
                                accepted_at=began + dt.timedelta(days=2) if accepted else None, finished_at=ended,
                                reference=("Hoiti tehtävänsä huolella, oli aina ajoissa ja tuli hyvin toimeen "
                                           "kaikkien kanssa. Suosittelemme lämpimästi.") if ended else "")
            if accepted and state != InterestState.DROPPED:
                opening.filled += 1
            session.add(interest)
            session.flush()
            session.add(Outcome(youth_id=profile.id, opening_id=opening.id, outcome=OutcomeKind.INTERESTED,  # type: ignore[arg-type]  # a stored row's id is set
                                recorded_at=began))
            if profile.id == youth.id and state == InterestState.COMPLETED and completed_id is None:
                completed_id = interest.id
    # the certificate at its longest: a long name, and a reference as long as an association may write
    youth_user.name = "Amina Wanjiru Otieno-Virtanen"
    session.add(youth_user)
    certified = session.get(Interest, completed_id)
    assert certified is not None
    paragraph = ("Amina hoiti löytöeläintalon koiria ja kissoja huolellisesti ja oppi nopeasti talon tavat. Hän oli "
                 "aina ajoissa, kysyi rohkeasti ja tuli hyvin toimeen sekä vapaaehtoisten että kävijöiden kanssa. ")
    longest = "\n\n".join([paragraph * 2] * 8)[:REFERENCE_MAX_LENGTH - 1].rsplit(" ", 1)[0]
    certified.reference = longest + "."
    session.add(certified)
    session.commit()
    talk_ref = _conversation(session, certified, youth_user, member)

    coordinator = session.exec(select(User).where(User.email == COORDINATOR)).one()
    profile = ws.create(session, coordinator, "Talvi 2026 – painotus matkoille ja kiinnostuksille")
    learned = learning.learn_proposal(session, coordinator, get_matcher(), Setting.of(profile))
    job = Job(kind="learn", params={"profile_id": profile.id, "region": coordinator.region},
              state=JobState.DONE, result=learned, created_by=coordinator.id,
              finished_at=dt.datetime.now(UTC))
    session.add(job)
    session.commit()
    referred = list(session.exec(select(Referral.youth_id).where(Referral.coordinator_id == coordinator.id)
                                 .order_by(col(Referral.id))))
    cohort_ids = []
    for name in ["Joulukuun ryhmä – Rovaniemi ja Tornio", "Kevään työkokeilut"]:
        cohort = cohorts.create(session, coordinator, name)
        places = [o.id for o, _ in cohorts.candidate_openings(session, coordinator.region or "")][:12]
        cohorts.choose(session, coordinator, cohort, referred, places)  # type: ignore[arg-type]  # stored rows' ids are set
        cohorts.run_allocation(session, coordinator, cohort)
        cohort_ids.append(cohort.id)
    session.commit()
    youth_ref = session.exec(select(YouthProfile.ref).where(col(YouthProfile.id).in_(referred))).first()
    admin = session.exec(select(User).where(User.role == Role.ADMIN)).first()
    assert admin is not None
    mail = queue_mail(session, to=youth_user.email, language="fi", subject="Valitse uusi salasana Polkuun",
                      text="Avaa tämä linkki ja valitse uusi salasana:\n\nhttps://polku.example.fi/auth/password/"
                           "reset/pitka-linkki-joka-ei-saa-leventaa-sivua-0123456789abcdefghijklmnopqrstuvwxyz\n",
                      reason="Saat tämän viestin, koska joku pyysi uutta salasanaa Polku-tilillesi.",
                      unsubscribe_url="https://polku.example.fi/unsubscribe/0123456789abcdefghijklmnopqrstuvwxyz")
    session.commit()
    return {"mail_id": mail.id, "completed_interest_id": completed_id, "association_id": association.id,
            "open_ref": openings[0].ref, "draft_ref": openings[-1].ref, "cohort_id": cohort_ids[0],
            "youth_id": referred[0], "youth_ref": youth_ref, "profile_id": profile.id, "job_ref": job.ref,
            "user_id": youth_user.id, "coordinator_user_id": coordinator.id,
            "unsubscribe_token": notice_mail.unsubscribe_token(youth_user),
            "cohort_count": session.exec(select(Cohort.id)).all().__len__(),
            "talk_interest_id": certified.id, "talk_ref": talk_ref}


def _conversation(session: Session, interest: Interest, youth_user: User, member: User) -> str:
    """A long conversation on `interest` (messages as long as allowed, an unbroken word wider than a phone, a
    reported one) and a page and more of notifications for the youth and the member; the opening's ref."""
    opening = session.get(Opening, interest.opening_id)
    assert opening is not None
    talk = messages.conversation(session, interest)
    words = ("Hei! Sopiiko, että aloitat keskiviikkona kello 17? Ota mukaan ulkovaatteet ja juomapullo. "
             * 30)[:messages.MAX_LENGTH]
    at = dt.datetime.now(UTC) - dt.timedelta(days=3)
    for n, (sender, body) in enumerate([(member, words), (youth_user, "Sopii hyvin, kiitos! " + "Kissanhoitaja" * 12),
                                        (member, "Tervetuloa!\nTerveisin Jussi")]):
        session.add(Message(interest_id=interest.id, sender_id=sender.id, from_youth=sender is youth_user,  # type: ignore[arg-type]  # a stored row's id is set
                            body=body, created_at=at + dt.timedelta(minutes=n)))
    session.flush()
    first = session.exec(select(Message).where(Message.interest_id == interest.id).order_by(col(Message.id))).first()
    assert first is not None and talk.association.id is not None
    session.add(MessageReport(message_id=first.id, reporter_id=youth_user.id))  # type: ignore[arg-type]  # a stored row's id is set
    for n in range(notices.PER_PAGE + 5):
        notices.notify(session, youth_user.id, "youth_message", subject=messages.subject(interest),  # type: ignore[arg-type]  # a stored row's id is set
                       association=talk.association.name, opening=opening.title, interest_id=interest.id)
        notices.notify(session, member.id, "association_message", subject=messages.subject(interest),  # type: ignore[arg-type]  # a stored row's id is set
                       opening=opening.title, ref=opening.ref, interest_id=interest.id)
    session.commit()
    return opening.ref


def main() -> None:
    app = create_app()
    with app.app_context():
        print(json.dumps(build()))


if __name__ == "__main__":
    main()
