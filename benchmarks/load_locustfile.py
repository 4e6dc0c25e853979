"""The simulated people of the load test, by role: run by locust (``load.py`` starts it
headless with this file). The shared part (sign-in, CSRF, the journal of writes, check-ins
from the mail) is ``load_people``; locust puts this folder on ``sys.path``.
"""

from __future__ import annotations

import random
import re
import time

from load_people import ACTIONS, POOLS, WORLD, Person, ids, marker, record, succeeded
from locust import task


class Resident(Person):
    role = "resident"

    @task(3)
    def home(self) -> None:
        self.get("/")

    @task(3)
    def my_requests(self) -> None:
        self.get("/hulpvragen/mijn")

    @task(2)
    def activities_nearby(self) -> None:
        self.get(f"/activiteiten/in-de-buurt?postcode={WORLD['postcode']}",
                 name="/activiteiten/in-de-buurt")

    @task(1)
    def post_request(self) -> None:
        text = marker("request")
        self.get("/hulpvragen/nieuw")
        steps = [("soort", {"category": random.choice(["shopping", "garden", "odd_jobs"]),
                            "for_whom": "self"}),
                 ("omschrijving", {"description": f"Hulp gezocht ({text}).",
                                   "network_note": ""}),
                 ("waar-wanneer", {"postcode": WORLD["postcode"], "house_number": "7",
                                   "timing": "flexible", "urgency": "normal",
                                   "recurrence": ""}),
                 ("controleren", {})]
        for step, data in steps:
            done = self.post(f"/hulpvragen/nieuw/{step}", data,
                             name=f"POST /hulpvragen/nieuw/{step}")
        made = re.search(r"/hulpvragen/(\d+)$", done.url or "")
        ok = succeeded(done) and made is not None
        record("request", ok, id=int(made.group(1)) if made else None,
               owner_id=self.account["id"], marker=text)

    @task(2)
    def accept_offer(self) -> None:
        page = self.get("/hulpvragen/mijn")
        offers = re.findall(r"/hulpvragen/(\d+)/aanbod/(\d+)", page.text)
        if not offers:
            own = ids(r'href="/hulpvragen/(\d+)"', page.text)
            if not own:
                ACTIONS["accept none"] += 1
                return
            detail = self.get(f"/hulpvragen/{random.choice(own)}", name="/hulpvragen/[id]")
            offers = re.findall(r"/hulpvragen/(\d+)/aanbod/(\d+)", detail.text)
        if not offers:
            ACTIONS["accept none"] += 1
            return
        request_id, match_id = random.choice(offers)
        done = self.post(f"/hulpvragen/{request_id}/aanbod/{match_id}",
                         {"decision": "accept", "reason": ""},
                         name="POST /hulpvragen/[id]/aanbod/[id]")
        record("accept", succeeded(done), match_id=int(match_id))

    @task(1)
    def sign_up(self) -> None:
        activity = random.choice(WORLD["activity_ids"])
        self.get(f"/activiteiten/{activity}", name="/activiteiten/[id]")
        done = self.post(f"/activiteiten/{activity}/aanmelden", {},
                         name="POST /activiteiten/[id]/aanmelden")
        ok = done.status_code == 200 and ("flash--success" in done.text
                                          or "wachtlijst" in done.text.lower())
        record("signup", ok, activity_id=activity, user_id=self.account["id"])

    @task(1)
    def answer_checkin(self) -> None:
        self.check_in()


class Volunteer(Person):
    role = "volunteer"

    @task(3)
    def nearby(self) -> None:
        self.get("/vrijwilliger/in-de-buurt")

    @task(2)
    def commitments(self) -> None:
        self.get("/vrijwilliger/afspraken")

    @task(3)
    def offer(self) -> None:
        page = self.get("/vrijwilliger/in-de-buurt")
        found = ids(r'href="/hulpvragen/(\d+)"', page.text)
        if not found:
            ACTIONS["offer none"] += 1
            return
        request_id = random.choice(found)
        detail = self.get(f"/hulpvragen/{request_id}", name="/hulpvragen/[id]")
        if f"/hulpvragen/{request_id}/aanbieden" not in detail.text:
            ACTIONS["offer none"] += 1
            return
        done = self.post(f"/hulpvragen/{request_id}/aanbieden",
                         {"message": f"Ik kan helpen ({marker('offer')})."},
                         name="POST /hulpvragen/[id]/aanbieden")
        record("offer", succeeded(done), request_id=request_id,
               volunteer_id=self.account["id"])

    @task(2)
    def answer_proposal(self) -> None:
        page = self.get("/vrijwilliger/afspraken")
        found = ids(r"/vrijwilliger/voorstellen/(\d+)", page.text)
        if not found:
            ACTIONS["proposal none"] += 1
            return
        match_id = random.choice(found)
        self.get(f"/vrijwilliger/voorstellen/{match_id}", name="/vrijwilliger/voorstellen/[id]")
        decision = "accept" if random.random() < 0.7 else "decline"
        done = self.post(f"/vrijwilliger/voorstellen/{match_id}",
                         {"decision": decision,
                          "reason": "Geen tijd" if decision == "decline" else ""},
                         name="POST /vrijwilliger/voorstellen/[id]")
        record("proposal", succeeded(done), match_id=match_id, decision=decision)

    @task(1)
    def answer_checkin(self) -> None:
        self.check_in()


class Worker(Person):
    role = "worker"

    @task(3)
    def worklist(self) -> None:
        self.get("/werk/")

    @task(2)
    def dossier(self) -> None:
        self.get(f"/dossier/{random.choice(WORLD['resident_ids'])}", name="/dossier/[id]")

    @task(3)
    def propose(self) -> None:
        page = self.get("/werk/")
        found = ids(r'href="/hulpvragen/(\d+)"', page.text)
        if not found:
            ACTIONS["propose none"] += 1
            return
        request_id = random.choice(found)
        self.get(f"/hulpvragen/{request_id}", name="/hulpvragen/[id]")
        volunteer = random.choice(WORLD["volunteer_ids"])
        done = self.post(f"/hulpvragen/{request_id}/voorstellen", {"volunteer_id": volunteer},
                         name="POST /hulpvragen/[id]/voorstellen")
        record("propose", succeeded(done), request_id=request_id, volunteer_id=volunteer)

    @task(1)
    def note(self) -> None:
        resident = random.choice(WORLD["resident_ids"])
        self.get(f"/dossier/{resident}/contact", name="/dossier/[id]/contact")
        text = marker("note")
        done = self.post(f"/dossier/{resident}/contact",
                         {"kind": "note", "body": f"Gebeld ({text}).", "request_id": ""},
                         name="POST /dossier/[id]/contact")
        record("note", succeeded(done), resident_id=resident, marker=text)


class Member(Person):
    """A member of the association's board."""

    role = "association"

    @task(3)
    def association(self) -> None:
        self.get("/mijn-vereniging")

    @task(2)
    def activity(self) -> None:
        activity = random.choice(WORLD["activity_ids"])
        self.get(f"/activiteiten/{activity}", name="/activiteiten/[id]")

    @task(1)
    def new_activity(self) -> None:
        path = f"/verenigingen/{WORLD['association_id']}/activiteiten/nieuw"
        self.get(path, name="/verenigingen/[id]/activiteiten/nieuw")
        title = marker("activity")
        day = time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
        done = self.post(path, {
            "title": title, "category": "companionship", "description": "Samen koffie drinken.",
            "audience": "Iedereen", "venue": "Buurthuis", "postcode": WORLD["postcode"],
            "day": day, "start_time": "10:00", "end_time": "11:30", "recurrence": "none",
            "repeat_until": "", "capacity": "12", "accessible": "yes"},
            name="POST /verenigingen/[id]/activiteiten/nieuw")
        record("activity", succeeded(done), title=title)


class Municipality(Person):
    role = "municipality"

    @task(3)
    def dashboard(self) -> None:
        self.get(f"/rapportage/?area={WORLD['area']}", name="/rapportage/")

    @task(1)
    def definitions(self) -> None:
        self.get("/rapportage/definities")

    @task(1)
    def indicators(self) -> None:
        self.get(f"/rapportage/indicatoren.csv?area={WORLD['area']}",
                 name="/rapportage/indicatoren.csv")


for _cls in (Resident, Volunteer, Worker, Member, Municipality):
    _cls.fixed_count = len(POOLS[_cls.role])
del _cls
