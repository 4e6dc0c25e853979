"""Import every feature's models so SQLAlchemy's metadata knows all tables."""

from marketplace.accounts.models import (  # noqa: F401
    ApiToken,
    AuditEvent,
    LoginAttempt,
    LoginSession,
    User,
    UserArea,
    UserRole,
)
from marketplace.areas.models import Area, AreaPostcode, AreaSetting  # noqa: F401
from marketplace.brokering.models import Arrangement, Match  # noqa: F401
from marketplace.casework.models import (  # noqa: F401
    CaseNote,
    Goal,
    Intake,
    LifeDomainScore,
    PartnerOrganisation,
    PlanAction,
    Referral,
    ResidentArea,
    SupportPlan,
)
from marketplace.categories.models import Category  # noqa: F401
from marketplace.followup.models import CheckIn, Evaluation, SweepRecord  # noqa: F401
from marketplace.help_requests.models import HelpRequest, Message, RequestEvent  # noqa: F401
from marketplace.matching.models import MatchingIndexEntry  # noqa: F401
from marketplace.notifications.models import OutboxMessage  # noqa: F401
from marketplace.reciprocity.models import Contribution, ReciprocityInvitation  # noqa: F401
from marketplace.residents.models import NetworkMember  # noqa: F401
from marketplace.scheduling.models import SchedulerLease  # noqa: F401
from marketplace.signals.models import Signal, SignalEvent  # noqa: F401
from marketplace.teams.models import Team, TeamMember  # noqa: F401
from marketplace.volunteers.models import (  # noqa: F401
    VolunteerAvailability,
    VolunteerProfile,
    VolunteerSkill,
)
