"""Handover and collective-solution pages in the browser's shoes (no JavaScript): the
worker hands over an activity, members and the worker answer "still running?", the worklist
shows clusters, a request is solved through an activity. Others get 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from marketplace.associations.handover_models import Handover
from marketplace.associations.models import Association
from marketplace.associations.services import (
    ActivityInput,
    add_member,
    create_activity,
    create_association,
)
from marketplace.clock import now as clock_now
from marketplace.clock import today
from marketplace.extensions import db
from marketplace.help_requests.models import HelpRequest
from marketplace.help_requests.services import RequestInput, create_request


@pytest.fixture()
def world(app, make_area, make_user):
    area = make_area("GM1728", "municipality", pc4=("5531", "5527"))
    other = make_area("GM0861", "municipality", pc4=("5521",))
    worker = make_user("worker", areas=(area,))
    stranger = make_user("worker", areas=(other,))
    board, outsider = make_user("association"), make_user("association")
    group = create_association(worker, name="Bewonersgroep De Linde", postcode="5531")
    add_member(worker, group, board)
    activity = create_activity(worker, ActivityInput(
        title="Soepmiddag", category="meals", postcode="5531", venue="Dorpshuis",
        starts_at=clock_now() + timedelta(days=3), recurrence="weekly", capacity=10))
    db.session.commit()
    return {"worker": worker, "stranger": stranger, "board": board, "outsider": outsider,
            "group": group, "activity": activity}


def _as(client, login, user):
    client.post("/uitloggen")
    login(user)


def test_worker_hands_over_and_members_see_it(client, login, world):
    _as(client, login, world["worker"])
    page = client.get(f"/activiteiten/{world['activity'].id}")
    assert b"Activiteit overdragen" in page.data
    url = f"/activiteiten/{world['activity'].id}/overdragen"
    past = client.post(url, data={"association_id": str(world["group"].id),
                                  "transition_ends_on": "1-1-2020", "checklist": ["venue"]})
    assert past.status_code == 200 and "al voorbij" in past.get_data(as_text=True)
    assert b'value="1-1-2020"' in past.data  # what was typed stays
    ends = (today() + timedelta(days=20)).strftime("%d-%m-%Y")
    done = client.post(url, data={"association_id": str(world["group"].id),
                                  "transition_ends_on": ends,
                                  "checklist": ["venue", "volunteers"]})
    assert done.status_code == 302
    handover = db.session.scalar(select(Handover))
    assert done.headers["Location"].endswith(f"/overdrachten/{handover.id}")
    assert handover.checklist == {"volunteers": True, "coordinator": False, "money": False,
                                  "venue": True}
    detail = client.get(f"/overdrachten/{handover.id}")
    assert detail.status_code == 200 and "Wordt overgedragen" in detail.get_data(as_text=True)
    assert b"Soepmiddag" in client.get("/overdrachten").data
    # Handed over already: the form says so instead.
    assert "wordt al overgedragen" in client.get(url).get_data(as_text=True)

    _as(client, login, world["board"])
    assert client.get(f"/overdrachten/{handover.id}").status_code == 200
    answered = client.post(f"/overdrachten/{handover.id}", data={"answer": "running"})
    assert answered.status_code == 302
    db.session.expire_all()
    assert db.session.get(Handover, handover.id).status == "still_running"
    for who in ("outsider", "stranger"):
        _as(client, login, world[who])
        assert client.get(f"/overdrachten/{handover.id}").status_code == 404
        assert client.post(f"/overdrachten/{handover.id}",
                           data={"answer": "stopped"}).status_code == 404
    assert client.get(url).status_code == 404  # another area's worker


def test_a_new_residents_group_on_the_spot(client, login, world):
    _as(client, login, world["worker"])
    url = f"/activiteiten/{world['activity'].id}/overdragen"
    ends = (today() + timedelta(days=5)).strftime("%d-%m-%Y")
    bad = client.post(url, data={"new_group_name": "Buren van de Markt",
                                 "new_group_postcode": "1000", "transition_ends_on": ends})
    assert bad.status_code == 200 and b"Buren van de Markt" in bad.data
    assert "postcode" in bad.get_data(as_text=True).lower()
    assert db.session.scalar(select(Handover)) is None
    ok = client.post(url, data={"new_group_name": "Buren van de Markt",
                                "new_group_postcode": "5531", "transition_ends_on": ends})
    assert ok.status_code == 302
    group = db.session.scalar(select(Association).where(Association.name == "Buren van de Markt"))
    assert db.session.scalar(select(Handover)).association_id == group.id


def _requests(worker, residents, n=5):
    ids = [create_request(r, RequestInput(category="meals", description="Samen eten graag.",
                                          postcode="5531 AB", house_number=str(k + 1))).id
           for k, r in enumerate(residents[:n])]
    db.session.execute(update(HelpRequest).where(HelpRequest.id.in_(ids)).values(status="open"))
    db.session.commit()
    return ids


def test_worklist_shows_clusters_and_a_request_is_solved_together(client, login, world,
                                                                  make_user):
    residents = [make_user("resident") for _ in range(5)]
    ids = _requests(world["worker"], residents)
    _as(client, login, world["worker"])
    page = client.get("/werk/").get_data(as_text=True)
    assert "5 vragen over" in page and "Soepmiddag" in page
    assert f"/hulpvragen/{ids[0]}/samen-oplossen" in page
    # Each request named by its place and the day it came in, not by its number.
    came_in = db.session.get(HelpRequest, ids[0]).created_at
    names = re.findall(rf'href="/hulpvragen/{ids[0]}">(Vraag uit [^<]*)</a>', page)
    assert names and "Bladel" in names[0] and str(came_in.year) in names[0]
    assert f"Hulpvraag {ids[0]}" not in page
    detail = client.get(f"/hulpvragen/{ids[0]}").get_data(as_text=True)
    assert f"/hulpvragen/{ids[0]}/samen-oplossen" in detail
    solve = client.get(f"/hulpvragen/{ids[0]}/samen-oplossen")
    assert solve.status_code == 200 and b"Soepmiddag" in solve.data
    empty = client.post(f"/hulpvragen/{ids[0]}/samen-oplossen", data={})
    assert empty.status_code == 200 and "Kies een activiteit" in empty.get_data(as_text=True)
    done = client.post(f"/hulpvragen/{ids[0]}/samen-oplossen",
                       data={"activity_id": str(world["activity"].id)})
    assert done.status_code == 302
    db.session.expire_all()
    solved = db.session.get(HelpRequest, ids[0])
    assert (solved.status, solved.solved_by) == ("closed", "activity")
    # Four left: below cluster_min, so no cluster any more.
    assert "5 vragen over" not in client.get("/werk/").get_data(as_text=True)

    _as(client, login, world["stranger"])
    assert "vragen over" not in client.get("/werk/").get_data(as_text=True)
    assert client.get(f"/hulpvragen/{ids[1]}/samen-oplossen").status_code == 404


def test_worklist_shows_the_largest_groups_and_the_rest_on_their_own_page(client, login,
                                                                           world, make_user):
    """The worklist stays short however many groups there are: the 5 largest, 10 requests of
    each; /werk/samen-oplossen shows all groups with all their requests."""
    from marketplace.associations.collective_views import (
        WORKLIST_GROUP_REQUESTS,
        WORKLIST_GROUPS,
    )

    sizes = {"meals": 13, "shopping": 5, "garden": 5, "odd_jobs": 6, "transport": 5,
             "companionship": 5, "paperwork": 7}
    ids: dict[str, list[int]] = {}
    for category, n in sizes.items():
        made = [create_request(make_user("resident"), RequestInput(
            category=category, description="Graag hulp, samen kan ook.",
            postcode="5531 AB", house_number=str(k + 1))).id for k in range(n)]
        ids[category] = made
    db.session.execute(update(HelpRequest).values(status="open"))
    db.session.commit()
    _as(client, login, world["worker"])
    page = client.get("/werk/").get_data(as_text=True)
    section = page[page.index('id="groepen"'):]
    assert section.count('class="entry-card"') == WORKLIST_GROUPS == 5
    # The smallest groups (5 each) make way for the larger ones; the largest comes first.
    assert section.index("13 vragen over") < section.index("7 vragen over") \
        < section.index("6 vragen over")
    assert f"Alle {len(sizes)} groepen met al hun hulpvragen op één pagina" in section
    shown = [i for i in ids["meals"] if f"/hulpvragen/{i}/samen-oplossen" in section]
    assert len(shown) == WORKLIST_GROUP_REQUESTS == 10
    assert "En nog 3 hulpvragen in deze groep" in section
    anchor = re.search(r'href="/werk/samen-oplossen#(groep-\d+)"', section).group(1)
    assert int(anchor.removeprefix("groep-")) in ids["meals"]  # to the meals group

    everything = client.get("/werk/samen-oplossen")
    assert everything.status_code == 200
    full = everything.get_data(as_text=True)
    assert full.count('class="entry-card"') == len(sizes)
    for made in ids.values():
        assert all(f"/hulpvragen/{i}/samen-oplossen" in full for i in made)
    assert "En nog" not in full and "op één pagina" not in full
    assert f'id="{anchor}"' in full
    assert full.count("<details open>") == len(sizes)  # the requests in view at once
    assert "<details open>" not in section
