import type { AuditRecorder, DbOrTransaction } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Db } from '../storage/index.ts';
import { allUsers, type UserDirectory } from './access.directory.ts';
import { accessError } from './access.errors.ts';
import { auditActor, auditOrigin } from './access.gate.ts';
import {
  deleteTeam,
  findTeam,
  findTeamByName,
  insertTeam,
  listTeamMembers,
  listTeams,
  replaceTeamMembers,
  updateTeamQueues,
} from './access.queries.ts';
import type { AccessCache } from './access.store.ts';
import type { AccessRequestContext } from './access.types.ts';

export interface TeamMember {
  userId: string;
  lead: boolean;
}

/** A team scopes what supervisors see (its members' interactions and its queues) and who reviews whom. */
export interface Team {
  id: string;
  name: string;
  queues: string[];
  members: TeamMember[];
  createdAt: number;
}

export interface AccessTeamsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  cache: AccessCache;
  directory: UserDirectory;
}

const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,79}$/u;
const QUEUE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._:/-]{0,119}$/u;

function checkTeamInput(name: string | undefined, queues: readonly string[] | undefined): void {
  if (name !== undefined && !TEAM_NAME.test(name)) {
    throw accessError(
      'TEAM_INVALID',
      'team name must be 1-80 letters, digits, spaces, dots, dashes or underscores',
    );
  }
  if (queues && (queues.length > 200 || queues.some((q) => !QUEUE_NAME.test(q)))) {
    throw accessError(
      'TEAM_INVALID',
      'queues must be at most 200 names of 1-120 letters, digits and . _ : / -',
    );
  }
}

export function createAccessTeamsService(deps: AccessTeamsDeps) {
  const { db } = deps;

  async function changeTeams(
    actor: Principal,
    context: AccessRequestContext,
    event: { action: string; teamId: string; details?: Record<string, string | number | boolean | null> },
    apply: (trx: DbOrTransaction) => Promise<void>,
  ): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await apply(trx);
      await deps.cache.markChanged(trx, actor.tenantId);
      await deps.audit.record(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        action: event.action,
        outcome: 'success',
        target: { type: 'team', id: event.teamId },
        ...(event.details ? { details: event.details } : {}),
        ...auditOrigin(context),
      });
    });
    deps.cache.invalidate(actor.tenantId);
  }

  async function list(tenantId: string): Promise<Team[]> {
    const [teams, members] = await Promise.all([listTeams(db, tenantId), listTeamMembers(db, tenantId)]);
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      queues: JSON.parse(t.queues) as string[],
      members: members
        .filter((m) => m.team_id === t.id)
        .map((m) => ({ userId: m.user_id, lead: Number(m.is_lead) === 1 })),
      createdAt: Number(t.created_at),
    }));
  }

  async function get(tenantId: string, id: string): Promise<Team> {
    const team = (await list(tenantId)).find((t) => t.id === id);
    if (!team) throw accessError('TEAM_NOT_FOUND');
    return team;
  }

  return {
    list,
    get,

    async create(
      actor: Principal,
      input: { name: string; queues: string[] },
      context: AccessRequestContext = {},
    ): Promise<Team> {
      const name = input.name.trim();
      checkTeamInput(name, input.queues);
      if (await findTeamByName(db, actor.tenantId, name)) throw accessError('TEAM_EXISTS');
      const id = deps.ids.newId();
      const queues = [...new Set(input.queues)];
      await changeTeams(
        actor,
        context,
        { action: 'access.team.create', teamId: id, details: { queues: queues.length } },
        (trx) =>
          insertTeam(trx, {
            tenant_id: actor.tenantId,
            id,
            name,
            queues: JSON.stringify(queues),
            created_at: deps.clock.now(),
          }),
      );
      return get(actor.tenantId, id);
    },

    async setQueues(
      actor: Principal,
      id: string,
      queues: string[],
      context: AccessRequestContext = {},
    ): Promise<Team> {
      checkTeamInput(undefined, queues);
      if (!(await findTeam(db, actor.tenantId, id))) throw accessError('TEAM_NOT_FOUND');
      const unique = [...new Set(queues)];
      await changeTeams(
        actor,
        context,
        { action: 'access.team.queues', teamId: id, details: { queues: unique.length } },
        (trx) => updateTeamQueues(trx, actor.tenantId, id, JSON.stringify(unique)),
      );
      return get(actor.tenantId, id);
    },

    /** Replaces a team's members; every member must be a user of the tenant. */
    async setMembers(
      actor: Principal,
      id: string,
      members: TeamMember[],
      context: AccessRequestContext = {},
    ): Promise<Team> {
      if (!(await findTeam(db, actor.tenantId, id))) throw accessError('TEAM_NOT_FOUND');
      if (members.length > 2000) throw accessError('TEAM_INVALID', 'a team has at most 2000 members');
      const known = new Set((await allUsers(deps.directory, actor.tenantId)).map((u) => u.id));
      const unknown = members.filter((m) => !known.has(m.userId));
      if (unknown.length > 0)
        throw accessError('USER_NOT_FOUND', `${unknown.length} member(s) are not users of this tenant`);
      const unique = [...new Map(members.map((m) => [m.userId, m])).values()];
      await changeTeams(
        actor,
        context,
        {
          action: 'access.team.members',
          teamId: id,
          details: { members: unique.length, leads: unique.filter((m) => m.lead).length },
        },
        (trx) => replaceTeamMembers(trx, actor.tenantId, id, unique),
      );
      return get(actor.tenantId, id);
    },

    async remove(actor: Principal, id: string, context: AccessRequestContext = {}): Promise<void> {
      if (!(await findTeam(db, actor.tenantId, id))) throw accessError('TEAM_NOT_FOUND');
      await changeTeams(actor, context, { action: 'access.team.delete', teamId: id }, (trx) =>
        deleteTeam(trx, actor.tenantId, id),
      );
    },
  };
}

export type AccessTeamsService = ReturnType<typeof createAccessTeamsService>;
