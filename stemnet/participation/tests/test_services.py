import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stemnet.participation import selectors, services
from stemnet.participation.models import Consultation, Suggestion, Vote
from stemnet.participation.tests.factories import consultation, idea, participant

pytestmark = pytest.mark.django_db


def test_phases_follow_the_dates_not_a_state():
    c = consultation()
    assert c.ideas_open() and c.voting_open() and not c.results_public()
    with time_machine.travel(c.voting_until + dt.timedelta(seconds=1)):
        assert not c.voting_open() and c.results_public()


def test_phases_must_be_in_order_and_name_the_field():
    c = consultation()
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(
            title="X",
            ideas_from=c.ideas_until,
            ideas_until=c.ideas_from,
            voting_from=c.voting_from,
            voting_until=c.voting_until,
            results_from=c.voting_from - dt.timedelta(days=1),
            themes=["A"],
        )
    assert set(exc.value.error_dict) == {"ideas_until", "results_from"}


def test_one_vote_per_participant_second_vote_replaces_first():
    c = consultation()
    i, p = idea(c), participant(c)
    services.vote_cast(idea=i, participant=p, score=2)
    services.vote_cast(idea=i, participant=p, score="5")
    assert list(Vote.objects.values_list("score", flat=True)) == [5]


def test_database_refuses_a_second_vote_row():
    c = consultation()
    i, p = idea(c), participant(c)
    services.vote_cast(idea=i, participant=p, score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(idea=i, participant=p, score=4)


@pytest.mark.parametrize("score", [0, 6, "", "drie", None, "3.5"])
def test_vote_outside_1_5_is_refused(score):
    c = consultation()
    with pytest.raises(ValidationError) as exc:
        services.vote_cast(idea=idea(c), participant=participant(c), score=score)
    assert "score" in exc.value.error_dict


def test_vote_after_the_phase_closed_is_refused():
    c = consultation()
    i, p = idea(c), participant(c)
    with (
        time_machine.travel(c.voting_until + dt.timedelta(minutes=1)),
        pytest.raises(ValidationError) as exc,
    ):
        services.vote_cast(idea=i, participant=p, score=4)
    assert exc.value.code == "closed"
    assert not Vote.objects.exists()


def test_participant_of_another_consultation_cannot_vote():
    c, other = consultation(), consultation(title="Andere")
    with pytest.raises(ValidationError):
        services.vote_cast(idea=idea(c), participant=participant(other), score=4)


def test_empty_idea_is_refused_with_both_fields_named():
    c = consultation()
    with pytest.raises(ValidationError) as exc:
        services.idea_create(theme=c.themes.first(), author=participant(c), title="  ", text="")
    assert set(exc.value.error_dict) == {"title", "text"}


def test_idea_after_idea_phase_refused():
    c = consultation(phase="closed")
    with pytest.raises(ValidationError) as exc:
        idea(c)
    assert exc.value.code == "closed"


def test_accepted_suggestion_makes_a_new_version_and_keeps_the_old():
    c = consultation()
    i = idea(c)
    s = services.suggestion_create(idea=i, author=participant(c), text="Ook voor meisjes")
    services.suggestion_accept(suggestion=s, title="STEM-bus voor iedereen", text="Nieuwe tekst")
    i.refresh_from_db()
    assert i.version == 2 and i.title == "STEM-bus voor iedereen"
    assert [v.title for v in i.versions.all()] == ["STEM-bus", "STEM-bus voor iedereen"]
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ACCEPTED
    with pytest.raises(ValidationError):
        services.suggestion_accept(suggestion=s, title="x", text="y")


def test_join_by_code_forgiving_spacing_and_refusing_forged_codes():
    c = consultation()
    typed = f" {c.join_code[:3].lower()}-{c.join_code[3:]} "
    assert services.consultation_for_code(typed) == c
    for forged in ["", "<script>", "ZZZZZZ" if c.join_code != "ZZZZZZ" else "YYYYYY"]:
        with pytest.raises(ValidationError) as exc:
            services.consultation_for_code(forged)
        assert "code" in exc.value.error_dict


def test_accounts_consultation_needs_a_user_and_keeps_one_participant(django_user_model):
    c = consultation(access=Consultation.Access.ACCOUNTS)
    with pytest.raises(ValidationError):
        participant(c)
    user = django_user_model.objects.create_user(email="a@example.org", password="x")
    first = participant(c, user=user)
    again = participant(c, name="Ann B", group="school", user=user)
    assert first.pk == again.pk and again.group == "school"


def test_unknown_group_refused():
    with pytest.raises(ValidationError) as exc:
        participant(consultation(), group="aliens")
    assert "group" in exc.value.error_dict


def test_results_ranked_by_mean_with_spread_and_groups():
    """Hand-computed: A gets 5,4,3 (mean 4, pstdev 0.82); B gets 5,5 (mean 5, spread 0);
    C gets 2 (mean 2); D no votes (last)."""
    c = consultation()
    a, b, cc, d = (idea(c, title=t) for t in ["A", "B", "C", "D"])
    company1, company2 = participant(c, "p1", "company"), participant(c, "p2", "company")
    school = participant(c, "p3", "school")
    for p, s in [(company1, 5), (company2, 4), (school, 3)]:
        services.vote_cast(idea=a, participant=p, score=s)
    for p in [company1, school]:
        services.vote_cast(idea=b, participant=p, score=5)
    services.vote_cast(idea=cc, participant=school, score=2)
    services.support_set(idea=a, participant=school, support=True)
    ranked = selectors.consultation_results(c)
    assert [r.idea.title for r in ranked] == ["B", "A", "C", "D"]
    ra = ranked[1]
    assert (ra.total.mean, ra.total.spread, ra.total.count, ra.supports) == (4.0, 0.82, 3, 1)
    assert (ra.by_group["company"].mean, ra.by_group["company"].count) == (4.5, 2)
    assert (ra.by_group["school"].mean, ra.by_group["school"].count) == (3.0, 1)
    assert ranked[0].total.spread == 0.0 and ranked[3].total.mean is None
    assert [code for code, _ in selectors.groups_in(ranked)] == ["school", "company"]


def test_hide_needs_a_reason_and_hidden_ideas_leave_the_results():
    c = consultation()
    i = idea(c)
    with pytest.raises(ValidationError):
        services.idea_hide(idea=i, reason=" ", actor=None)
    services.idea_hide(idea=i, reason="Reclame", actor=None)
    assert selectors.consultation_results(c) == []
    with pytest.raises(ValidationError):
        services.vote_cast(idea=i, participant=participant(c), score=3)


def test_merge_moves_votes_but_keeps_one_per_participant():
    c = consultation()
    dup, keep = idea(c, title="dup"), idea(c, title="keep")
    both, only_dup = participant(c, "both"), participant(c, "dup")
    services.vote_cast(idea=dup, participant=both, score=1)
    services.vote_cast(idea=keep, participant=both, score=5)
    services.vote_cast(idea=dup, participant=only_dup, score=3)
    services.idea_merge(duplicate=dup, into=keep, actor=None)
    assert sorted(keep.votes.values_list("score", flat=True)) == [3, 5]
    assert not dup.votes.exists()
    with pytest.raises(ValidationError):
        services.idea_merge(duplicate=keep, into=keep, actor=None)


def test_link_refuses_a_non_url():
    i = idea(consultation())
    with pytest.raises(ValidationError):
        services.idea_link(idea=i, label="Prioriteit", url="javascript:alert(1)", actor=None)
    services.idea_link(idea=i, label="Prioriteit", url="https://example.org/oproep/1", actor=None)


def test_live_state_key_changes_with_votes_and_moves():
    c = consultation()
    i = idea(c)
    before = selectors.live_state_key(c.pk)
    services.live_move(consultation=c, idea=i, actor=None)
    moved = selectors.live_state_key(c.pk)
    services.vote_cast(idea=i, participant=participant(c), score=4)
    assert len({before, moved, selectors.live_state_key(c.pk)}) == 3
    with pytest.raises(ValidationError):
        services.live_timer(consultation=c, seconds="-5", actor=None)


def test_survey_training_topics_counted_per_academy():
    from stemnet.organisations.tests.factories import OrganisationFactory

    now = dt.datetime.now(dt.UTC)
    survey = services.survey_create(
        title="Noden",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        questions=[
            {
                "text": "Welke opleiding?",
                "kind": "choices",
                "options": ["Basissessie", "Ontwerpsessie"],
                "is_training_topic": True,
            },
            {"text": "Nog iets?", "kind": "text"},
        ],
    )
    q = survey.questions.first()
    a1, a2 = OrganisationFactory(), OrganisationFactory()
    services.response_submit(
        survey=survey,
        organisation=a1,
        respondent=None,
        answers={q.pk: ["Basissessie", "Ontwerpsessie"]},
    )
    services.response_submit(
        survey=survey, organisation=a2, respondent=None, answers={q.pk: ["Ontwerpsessie"]}
    )
    # answering again replaces
    services.response_submit(
        survey=survey, organisation=a2, respondent=None, answers={q.pk: ["Ontwerpsessie"]}
    )
    assert selectors.training_topics_wanted() == [("Ontwerpsessie", 2), ("Basissessie", 1)]
    with pytest.raises(ValidationError):
        services.response_submit(
            survey=survey, organisation=a1, respondent=None, answers={q.pk: ["Onbekend"]}
        )
    with pytest.raises(ValidationError):
        services.response_submit(survey=survey, organisation=a1, respondent=None, answers={})
