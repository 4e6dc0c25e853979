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
from marketplace.accounts.throttle import ThrottleHit  # noqa: F401
from marketplace.areas.models import Area, AreaPostcode, AreaSetting  # noqa: F401
from marketplace.associations.handover_models import Handover, HandoverCheck  # noqa: F401
from marketplace.associations.models import (  # noqa: F401
    Activity,
    Association,
    AssociationMember,
    Attendance,
    Occurrence,
    Signup,
)
from marketplace.associations.vacancy_models import Vacancy, VacancyMatch  # noqa: F401
from marketplace.brokering.followup_models import FollowUpDone  # noqa: F401
from marketplace.brokering.models import Arrangement, Match  # noqa: F401
from marketplace.calendar.models import CalendarFeed  # noqa: F401
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
from marketplace.page_cache.models import DataGeneration  # noqa: F401
from marketplace.partners.models import (  # noqa: F401
    PartnerActionReport,
    PartnerConsent,
    PartnerContact,
)
from marketplace.reciprocity.models import Contribution, ReciprocityInvitation  # noqa: F401
from marketplace.reporting.models import ReportExport  # noqa: F401
from marketplace.reporting.yearplan_models import (  # noqa: F401
    TeamEvaluation,
    YearPlan,
    YearPlanBudgetLine,
    YearPlanGoal,
)
from marketplace.residents.models import NetworkMember  # noqa: F401
from marketplace.scheduling.models import SchedulerLease  # noqa: F401
from marketplace.signals.models import Signal, SignalEvent  # noqa: F401
from marketplace.teams.models import Team, TeamMember  # noqa: F401
from marketplace.volunteers.models import (  # noqa: F401
    VolunteerAvailability,
    VolunteerProfile,
    VolunteerSkill,
)
