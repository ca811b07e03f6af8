"""What a user may do with cases, suspects, operations and prosecutions (SPEC section 1).

One function per action. Asked without a record, a policy answers whether the user's role may
take the action at all (page gates, navigation, buttons); with a record, whether on that
record. Administrators may do what the owning roles do (every read of theirs is audited); who
may see a record is not here but in `cases.selectors`.
"""

from __future__ import annotations

from ctms.choices import Role
from ctms.policies import policy
from ctms.scope import acts_as, has_role, is_admin, owns

from .models import Case, Operation, Prosecution


@policy
def can_browse_cases(user) -> bool:
    """The case list and case pages: case workers, and police and courts who read the cases
    linked to their operations or prosecutions."""
    return acts_as(user, Role.CASE_WORKER, Role.POLICE, Role.JUSTICE)


@policy
def can_open_case(user) -> bool:
    return acts_as(user, Role.CASE_WORKER)


@policy
def can_edit_case(user, case: Case | None = None) -> bool:
    """Change a case: case workers of the owning agency (or its parent). Police and courts
    only read the cases they see."""
    if is_admin(user):
        return True
    return acts_as(user, Role.CASE_WORKER) and (case is None or owns(user, case.agency_id))


@policy
def can_link_case(user, case: Case | None = None) -> bool:
    """Add victims and suspects to a case: whoever may edit it."""
    return can_edit_case(user, case)


@policy
def can_read_case_notes(user, case: Case) -> bool:
    """The owner's notes on a case: those who may edit it; police and courts read a case for
    its facts only."""
    return can_edit_case(user, case)


@policy
def can_record_suspect(user) -> bool:
    return acts_as(user, Role.POLICE, Role.CASE_WORKER)


@policy
def can_browse_operations(user) -> bool:
    """The operations list and the logging form: police units."""
    return acts_as(user, Role.POLICE)


@policy
def can_record_operation(user) -> bool:
    return acts_as(user, Role.POLICE)


@policy
def can_edit_operation(user, operation: Operation | None = None) -> bool:
    """Change an operation and its suspects detained and persons rescued: the police unit that
    logged it (or its parent agency)."""
    if is_admin(user):
        return True
    return acts_as(user, Role.POLICE) and (operation is None or owns(user, operation.agency_id))


@policy
def can_read_operations(user) -> bool:
    """Operation pages: the police unit, and case workers whose cases they are linked to."""
    return acts_as(user, Role.POLICE, Role.CASE_WORKER)


@policy
def can_browse_prosecutions(user) -> bool:
    """Prosecution pages: courts, and case workers whose cases are prosecuted."""
    return acts_as(user, Role.JUSTICE, Role.CASE_WORKER)


@policy
def can_send_case_to_court(user, case: Case | None = None) -> bool:
    """Send a case to a court (which may then file on it): case workers of the owning agency,
    and the police units with an operation on the case."""
    if is_admin(user):
        return True
    if case is None:
        return acts_as(user, Role.CASE_WORKER, Role.POLICE)
    if has_role(user, Role.CASE_WORKER) and owns(user, case.agency_id):
        return True
    return has_role(user, Role.POLICE) and case.operations.filter(agency_id=user.agency_id).exists()


@policy
def can_record_prosecution(user) -> bool:
    return acts_as(user, Role.JUSTICE)


@policy
def can_edit_prosecution(user, prosecution: Prosecution | None = None) -> bool:
    """Change a prosecution, its defendants and their verdicts: the clerks of the court it is
    filed at."""
    if is_admin(user):
        return True
    if not acts_as(user, Role.JUSTICE):
        return False
    return prosecution is None or prosecution.court_id == user.agency_id


@policy
def can_record_verdict(user, prosecution: Prosecution | None = None) -> bool:
    """Verdicts: the clerks of the court the prosecution is filed at."""
    if is_admin(user):
        return True
    if not acts_as(user, Role.JUSTICE):
        return False
    return prosecution is None or prosecution.court_id == user.agency_id
