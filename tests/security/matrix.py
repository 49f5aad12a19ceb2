"""The principal x mutation matrix: every accounts mutation that takes an operator, role or key, by every
scope level of caller, with the outcome each cell must have.

Callers (columns): operators at platform, agent, customer and lot scope holding every permission, mgrA1 (customer
A1, only the managing permissions, see tests/security/world.py), and API keys at agent, customer and lot scope.
Outcomes: ``ok`` done; ``no`` refused as PERMISSION_DENIED (visible but wider, or more permissions than the caller
holds); ``nf`` NOT_FOUND (outside the caller's tenant: indistinguishable from absent); ``self`` INVALID (you
cannot delete yourself); ``inuse`` IN_USE (a role still held). Every outcome but ``ok`` must change nothing.

Mutations: rename/reset/deactivate/rerole (to the customer A1 'clerk' role)/delete an operator; rename/perms
(to records.view + lots.view)/delete a role; revoke a key; create an operator, role or key with the scope and
role or permissions the target names.
"""

from __future__ import annotations

from dataclasses import dataclass

CALLERS = ("platform", "agentA", "custA1", "lotA1a", "mgrA1", "key:agentA", "key:custA1", "key:lotA1a")

TABLE = """
mutation    target              platform agentA custA1 lotA1a mgrA1 key:agentA key:custA1 key:lotA1a
rename      operator:platform   ok       nf     nf     nf     nf    nf         nf         nf
rename      operator:agentA     ok       ok     nf     nf     nf    ok         nf         nf
rename      operator:agentB     ok       nf     nf     nf     nf    nf         nf         nf
rename      operator:custA1     ok       ok     ok     no     no    ok         ok         no
rename      operator:custA2     ok       ok     nf     nf     nf    ok         nf         nf
rename      operator:lotA1a     ok       ok     ok     ok     no    ok         ok         ok
rename      operator:lotA1b     ok       ok     ok     no     no    ok         ok         no
rename      operator:lotA1ab    ok       ok     ok     no     no    ok         ok         no
rename      operator:clerkA1    ok       ok     ok     no     ok    ok         ok         no
rename      operator:mgrA1      ok       ok     ok     no     ok    ok         ok         no
reset       operator:platform   ok       nf     nf     nf     nf    nf         nf         nf
reset       operator:agentA     ok       ok     nf     nf     nf    ok         nf         nf
reset       operator:agentB     ok       nf     nf     nf     nf    nf         nf         nf
reset       operator:custA1     ok       ok     ok     no     no    ok         ok         no
reset       operator:custA2     ok       ok     nf     nf     nf    ok         nf         nf
reset       operator:lotA1a     ok       ok     ok     ok     no    ok         ok         ok
reset       operator:lotA1b     ok       ok     ok     no     no    ok         ok         no
reset       operator:lotA1ab    ok       ok     ok     no     no    ok         ok         no
reset       operator:clerkA1    ok       ok     ok     no     ok    ok         ok         no
reset       operator:mgrA1      ok       ok     ok     no     ok    ok         ok         no
deactivate  operator:platform   ok       nf     nf     nf     nf    nf         nf         nf
deactivate  operator:agentA     ok       ok     nf     nf     nf    ok         nf         nf
deactivate  operator:agentB     ok       nf     nf     nf     nf    nf         nf         nf
deactivate  operator:custA1     ok       ok     ok     no     no    ok         ok         no
deactivate  operator:custA2     ok       ok     nf     nf     nf    ok         nf         nf
deactivate  operator:lotA1a     ok       ok     ok     ok     no    ok         ok         ok
deactivate  operator:lotA1b     ok       ok     ok     no     no    ok         ok         no
deactivate  operator:lotA1ab    ok       ok     ok     no     no    ok         ok         no
deactivate  operator:clerkA1    ok       ok     ok     no     ok    ok         ok         no
deactivate  operator:mgrA1      ok       ok     ok     no     ok    ok         ok         no
rerole      operator:platform   ok       nf     nf     nf     nf    nf         nf         nf
rerole      operator:agentA     ok       ok     nf     nf     nf    ok         nf         nf
rerole      operator:agentB     ok       nf     nf     nf     nf    nf         nf         nf
rerole      operator:custA1     ok       ok     ok     no     no    ok         ok         no
rerole      operator:custA2     ok       ok     nf     nf     nf    ok         nf         nf
rerole      operator:lotA1a     ok       ok     ok     ok     no    ok         ok         ok
rerole      operator:lotA1b     ok       ok     ok     no     no    ok         ok         no
rerole      operator:lotA1ab    ok       ok     ok     no     no    ok         ok         no
rerole      operator:clerkA1    ok       ok     ok     no     ok    ok         ok         no
rerole      operator:mgrA1      ok       ok     ok     no     ok    ok         ok         no
delete      operator:platform   self     nf     nf     nf     nf    nf         nf         nf
delete      operator:agentA     ok       self   nf     nf     nf    ok         nf         nf
delete      operator:agentB     ok       nf     nf     nf     nf    nf         nf         nf
delete      operator:custA1     ok       ok     self   no     no    ok         ok         no
delete      operator:custA2     ok       ok     nf     nf     nf    ok         nf         nf
delete      operator:lotA1a     ok       ok     ok     self   no    ok         ok         ok
delete      operator:lotA1b     ok       ok     ok     no     no    ok         ok         no
delete      operator:lotA1ab    ok       ok     ok     no     no    ok         ok         no
delete      operator:clerkA1    ok       ok     ok     no     ok    ok         ok         no
delete      operator:mgrA1      ok       ok     ok     no     self  ok         ok         no
roleRename  role:all            ok       nf     nf     nf     nf    nf         nf         nf
roleRename  role:agentRole      ok       ok     nf     nf     nf    ok         nf         nf
roleRename  role:clerk          ok       ok     ok     no     ok    ok         ok         no
roleRename  role:manager        ok       ok     ok     no     ok    ok         ok         no
roleRename  role:fullA1         ok       ok     ok     no     no    ok         ok         no
roleRename  role:custA2role     ok       ok     nf     nf     nf    ok         nf         nf
rolePerms   role:all            ok       nf     nf     nf     nf    nf         nf         nf
rolePerms   role:agentRole      ok       ok     nf     nf     nf    ok         nf         nf
rolePerms   role:clerk          ok       ok     ok     no     ok    ok         ok         no
rolePerms   role:manager        ok       ok     ok     no     ok    ok         ok         no
rolePerms   role:fullA1         ok       ok     ok     no     no    ok         ok         no
rolePerms   role:custA2role     ok       ok     nf     nf     nf    ok         nf         nf
roleDelete  role:all            inuse    nf     nf     nf     nf    nf         nf         nf
roleDelete  role:agentRole      ok       ok     nf     nf     nf    ok         nf         nf
roleDelete  role:clerk          inuse    inuse  inuse  no     inuse inuse      inuse      no
roleDelete  role:manager        inuse    inuse  inuse  no     inuse inuse      inuse      no
roleDelete  role:fullA1         ok       ok     ok     no     no    ok         ok         no
roleDelete  role:custA2role     ok       ok     nf     nf     nf    ok         nf         nf
revoke      key:platform        ok       nf     nf     nf     nf    nf         nf         nf
revoke      key:agentA          ok       ok     nf     nf     nf    ok         nf         nf
revoke      key:custA1          ok       ok     ok     no     no    ok         ok         no
revoke      key:lotA1a          ok       ok     ok     ok     no    ok         ok         ok
revoke      key:lotA1b          ok       ok     ok     no     ok    ok         ok         no
revoke      key:custA2          ok       ok     nf     nf     nf    ok         nf         nf
roleCreate  narrow              ok       ok     ok     ok     ok    ok         ok         ok
roleCreate  all                 ok       ok     ok     ok     no    ok         ok         ok
opCreate    agentA/agentRole    ok       ok     nf     nf     nf    ok         nf         nf
opCreate    custA1/clerk        ok       ok     ok     no     ok    ok         ok         no
opCreate    custA1/manager      ok       ok     ok     no     ok    ok         ok         no
opCreate    lotA1a/clerk        ok       ok     ok     ok     ok    ok         ok         ok
opCreate    lotA1a/fullA1       ok       ok     ok     ok     no    ok         ok         ok
opCreate    lotA1b/clerk        ok       ok     ok     nf     ok    ok         ok         nf
keyCreate   agentA/narrow       ok       ok     no     no     no    ok         no         no
keyCreate   custA1/narrow       ok       ok     ok     no     ok    ok         ok         no
keyCreate   lotA1a/narrow       ok       ok     ok     ok     ok    ok         ok         ok
keyCreate   lotA1a/all          ok       ok     ok     ok     no    ok         ok         ok
keyCreate   lotA1b/narrow       ok       ok     ok     nf     ok    ok         ok         nf
"""


@dataclass(frozen=True)
class Cell:
    mutation: str
    target: str
    caller: str
    expected: str


def cells() -> list[Cell]:
    lines = [line.split() for line in TABLE.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert tuple(header[2:]) == CALLERS, header
    out: list[Cell] = []
    for row in rows:
        assert len(row) == len(header), row
        mutation, target, *outcomes = row
        out.extend(Cell(mutation, target, caller, outcome) for caller, outcome in zip(CALLERS, outcomes, strict=True))
    return out
