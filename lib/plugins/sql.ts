import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { catchError, concat, concatMap, defer, finalize, from, map, Observable, of, throwError, timeout, type SchedulerLike } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';
import { Duration, dsnUrl, parseDsn, SqlConfig, type Dsn, type Polling } from '../dsl/index.js';
import type { CheckSubject } from '../check/check-subject.js';
import type { CompiledCheck } from '../check/compile-check.js';
import { renderString } from '../template/render-string.js';
import { resolveTemplatable } from '../template/resolve-templatable.js';
import type { TemplateContext } from '../template/template-context.js';
import { formatDuration } from '../operators/format-duration.js';
import { done, failed, notYet, type Judgement } from '../operators/judgement.js';
import {
  poll,
  PollConfigError,
  PollFailedError,
  PollMaxAttemptsError,
  PollTimeoutError,
  type PollEvent,
  type PollFailureInfo,
} from '../operators/poll.js';
import type { AttemptRecord, CheckRecord } from '../step/attempt-record.js';
import { definePlugin, type PluginContext, type PluginEvent } from '../step/plugin.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';
import type { LastAttempt, PollEvidence, StepFailure } from '../step/step-failure.js';
import { resolvePolling } from './resolve-polling.js';
import { errorParts, openSqlPool, SqlConnectError, type SqlPool, type SqlSession } from './sql-pool.js';
import { splitSql } from './split-sql.js';

/** A sql step's budget when its config gives no `timeout`: 30s, as Rocketship's. */
export const DEFAULT_SQL_TIMEOUT_MS = 30_000;
/** How much of a result goes into an attempt's `bodyExcerpt`. */
const RESULT_EXCERPT_CHARS = 500;
/** How much of the last result a failed poll's message shows. */
const LAST_RESULT_CHARS = 200;

/** One statement's result, in Rocketship's shape (`queries[i]`). */
export interface QueryResult {
  readonly query: string;
  readonly rows_affected: number;
  readonly rows: readonly Readonly<Record<string, Json>>[];
  /** The database's error; absent when the statement succeeded. */
  readonly error?: string;
  /** Go's duration text: `1.5ms`. */
  readonly duration: string;
}

/** A sql step's result, in Rocketship's shape: what assertions, conditions and `sql_result` read. */
export interface SqlResult {
  readonly queries: readonly QueryResult[];
  readonly stats: {
    readonly total_queries: number;
    readonly success_count: number;
    readonly error_count: number;
    readonly total_duration: string;
    readonly connection_time: string;
  };
}

/**
 * `plugin: sql`: runs its statements (`commands`, or the statements of `file`) in order on one
 * connection of the run's pool for the DSN, and gives Rocketship's result
 * (`queries[i].{query, rows_affected, rows, error, duration}`, `stats.{...}`) to its assertions
 * (`row_count`, `query_count`, `success_count`, `column_value`, `json_path`) and saves
 * (`sql_result`).
 *
 * As in Rocketship, a failing statement does not stop the ones after it: its `error` is recorded,
 * every statement runs, and then the step fails (before its assertions). A connection that
 * cannot be made fails the step as a transport error. `timeout` (default 30s) bounds the whole
 * step; when it passes, the statement in flight is cancelled on the server.
 *
 * With `polling`, the statements run again until every condition holds, on the same rules as an
 * http step's poll: a connection error, an attempt's timeout, or a failing statement is
 * "not yet"; a `fail_conditions` entry that holds ends the poll at once.
 */
export const sqlPlugin = definePlugin<SqlConfig>({
  name: 'sql',
  config: SqlConfig,
  run: (config, context) =>
    defer(() => {
      const prepared = prepareStep(config, context.variables);
      if (E.isLeft(prepared)) return throwError(() => new StepConfigError(prepared.left));
      const { dsn, dsnText, timeoutMs } = prepared.right;
      return from(statementsOf(config, context)).pipe(
        concatMap((statements) => {
          if (E.isLeft(statements)) return throwError(() => new StepConfigError(statements.left));
          // The run's pool for this DSN; a context made by hand gets one for this step only.
          const own = context.resources === undefined ? openSqlPool(dsn) : undefined;
          const pool =
            own ??
            (context.resources as NonNullable<PluginContext['resources']>).acquire(
              `sql ${dsn.driver} ${dsnText}`,
              () => openSqlPool(dsn),
              (p) => p.close(),
            );
          const step: SqlStep = { dsn, statements: statements.right, timeoutMs, pool, scheduler: context.scheduler };
          const events$ = config.polling === undefined ? single(step) : polled(step, config.polling, context.variables);
          return own === undefined ? events$ : events$.pipe(finalize(() => void own.close()));
        }),
      );
    }),
});

/** What one run of the step needs. */
interface SqlStep {
  readonly dsn: Dsn;
  readonly statements: readonly string[];
  readonly timeoutMs: number;
  readonly pool: SqlPool;
  readonly scheduler: SchedulerLike;
}

/** The step's timeout passed: the statement in flight (if any) was cancelled. */
export class SqlTimeoutError extends Error {
  override readonly name = 'SqlTimeoutError';
  constructor(
    readonly timeoutMs: number,
    /** The statement in flight; `undefined` while connecting. */
    readonly statement: number | undefined,
  ) {
    super(
      statement === undefined
        ? `timed out after ${formatDuration(timeoutMs)} while connecting`
        : `timed out after ${formatDuration(timeoutMs)} in statement ${statement}`,
    );
  }
}

/**
 * One run of the statements as a cold Observable: the result, then complete; or an error
 * (`SqlConnectError`, `SqlTimeoutError`). Unsubscribing (the timeout, a poll's deadline, Ctrl-C)
 * cancels the statement in flight on the server and drops its connection.
 */
function runStatements(step: SqlStep): Observable<SqlResult> {
  return defer(() => {
    const progress: { statement: number | undefined } = { statement: undefined };
    const run$ = new Observable<SqlResult>((subscriber) => {
      let session: SqlSession | undefined;
      let cancelled = false;
      const { scheduler } = step;
      const started = scheduler.now();
      void (async () => {
        const s = await step.pool.connect();
        if (cancelled) {
          s.release();
          return;
        }
        session = s;
        const connectionMs = scheduler.now() - started;
        const queries: QueryResult[] = [];
        for (const [i, query] of step.statements.entries()) {
          progress.statement = i;
          const t0 = scheduler.now();
          try {
            const r = await s.run(query);
            if (cancelled) return;
            queries.push({ query, rows_affected: r.rowsAffected, rows: r.rows, duration: formatDuration(scheduler.now() - t0) });
          } catch (error) {
            if (cancelled) return;
            queries.push({
              query,
              rows_affected: 0,
              rows: [],
              error: errorParts(error).message,
              duration: formatDuration(scheduler.now() - t0),
            });
          }
        }
        session = undefined;
        s.release();
        const errors = queries.filter((q) => q.error !== undefined).length;
        subscriber.next({
          queries,
          stats: {
            total_queries: queries.length,
            success_count: queries.length - errors,
            error_count: errors,
            total_duration: formatDuration(scheduler.now() - started),
            connection_time: formatDuration(connectionMs),
          },
        });
        subscriber.complete();
      })().catch((error: unknown) => {
        if (!cancelled) subscriber.error(error);
      });
      return () => {
        cancelled = true;
        session?.abort();
      };
    });
    return run$.pipe(
      timeout({
        first: step.timeoutMs,
        scheduler: step.scheduler,
        with: () => throwError(() => new SqlTimeoutError(step.timeoutMs, progress.statement)),
      }),
    );
  });
}

/** Without polling: one run; its attempt event, then Done, or the failure. */
function single(step: SqlStep): Observable<PluginEvent> {
  const started = step.scheduler.now();
  return runStatements(step).pipe(
    concatMap((result): Observable<PluginEvent> => {
      const attempt: PluginEvent = {
        _tag: 'Attempt',
        attempt: attemptRecord(
          step,
          1,
          undefined,
          undefined,
          step.scheduler.now() - started,
          resultOutcome(result, step.scheduler.now() - started),
          [],
          undefined,
        ),
      };
      const failedStatements = statementFailure(result);
      if (failedStatements !== undefined)
        return concat(
          of(attempt),
          throwError(() => new StepFailedError(failedStatements, { attempts: 1 })),
        );
      return of<PluginEvent[]>(attempt, { _tag: 'Done', saved: {}, subject: sqlSubject(result), checks: [], attempts: 1 });
    }),
    catchError((error: unknown) => {
      if (!(error instanceof SqlConnectError || error instanceof SqlTimeoutError)) return throwError(() => error);
      const attempt: PluginEvent = {
        _tag: 'Attempt',
        attempt: attemptRecord(step, 1, undefined, undefined, step.scheduler.now() - started, errorOutcome(error), [], undefined),
      };
      const failure: StepFailure =
        error instanceof SqlTimeoutError
          ? { _tag: 'SqlTimedOut', timeoutMs: error.timeoutMs, statement: error.statement }
          : { _tag: 'Transport', code: error.code, message: error.message };
      return concat(
        of(attempt),
        throwError(() => new StepFailedError(failure, { attempts: 1 })),
      );
    }),
  );
}

/** A result as it is judged in a poll, and what reports keep of it. */
interface JudgedResult {
  /** Kept only when it ends the poll. */
  readonly result: SqlResult | undefined;
  readonly outcome: AttemptRecord['outcome'];
  readonly summary: string;
  readonly lastBody: string;
  readonly conditions: readonly CheckRecord[];
  readonly judgement: Judgement;
  readonly failCondition?: { readonly label: string; readonly held: readonly CheckRecord[] };
}

function polled(step: SqlStep, polling: Polling, variables: TemplateContext): Observable<PluginEvent> {
  const settings = resolvePolling(polling, variables);
  if (E.isLeft(settings)) return throwError(() => new StepConfigError(settings.left));
  const s = settings.right;
  const judge = (result: SqlResult, durationMs: number): JudgedResult => {
    const subject = sqlSubject(result);
    const conditions = s.conditions.flatMap((c) => c.evaluate(subject));
    const failing = firstHolding(s.failConditions, subject);
    // A result with failed statements is "not yet" (the table may not be there yet), unless a fail condition holds.
    const judgement =
      failing !== undefined
        ? failed(failing.label)
        : result.stats.error_count === 0 && conditions.every((r) => r._tag === 'Passed')
          ? done
          : notYet();
    return {
      result: judgement._tag === 'NotYet' ? undefined : result,
      outcome: resultOutcome(result, durationMs),
      summary: summaryOf(result),
      lastBody: writeJson(result as unknown as Json, { maxChars: LAST_RESULT_CHARS }).text,
      conditions,
      judgement,
      ...(failing === undefined ? {} : { failCondition: failing }),
    };
  };
  const events$ = defer(() => {
    const started = step.scheduler.now();
    return runStatements(step).pipe(map((result) => judge(result, step.scheduler.now() - started)));
  }).pipe(
    poll<JudgedResult>({
      interval: s.interval,
      timeout: s.timeout,
      scheduler: step.scheduler,
      maxAttempts: s.maxAttempts,
      backoffCoefficient: s.backoffCoefficient,
      maxInterval: s.maxInterval,
      jitter: s.jitter,
      judge: (j) => j.judgement,
    }),
  );
  return events$.pipe(
    concatMap((a): Observable<PluginEvent> => {
      const attempt: PluginEvent = { _tag: 'Attempt', attempt: pollRecord(step, a) };
      if (a._tag === 'Pending' || a.value.result === undefined) return of(attempt);
      return of<PluginEvent[]>(attempt, {
        _tag: 'Done',
        saved: {},
        subject: sqlSubject(a.value.result),
        checks: a.value.conditions,
        attempts: a.number,
      });
    }),
    catchError((error: unknown) => throwError(() => pollFailure(error))),
  );
}

function pollFailure(error: unknown): unknown {
  if (error instanceof PollConfigError) return new StepConfigError(`config.polling: ${error.message}`);
  if (!(error instanceof PollTimeoutError || error instanceof PollMaxAttemptsError || error instanceof PollFailedError)) return error;
  const info = error.info as PollFailureInfo<JudgedResult>;
  const last = lastAttempt(info.last);
  const evidence: PollEvidence = { attempts: info.attempts, elapsedMs: info.elapsedMs, last };
  const checks = last?._tag === 'SqlResult' ? last.conditions : [];
  let failure: StepFailure;
  if (error instanceof PollTimeoutError) {
    failure = {
      _tag: 'PollTimedOut',
      ...evidence,
      timeoutMs: error.info.timeoutMs,
      stoppedBy: error.info.unwaitedDelayMs === undefined ? 'Deadline' : 'NextWait',
      inFlight: error.info.inFlight,
      unwaitedDelayMs: error.info.unwaitedDelayMs,
    };
  } else if (error instanceof PollMaxAttemptsError) {
    failure = { _tag: 'PollExhausted', ...evidence, maxAttempts: error.info.maxAttempts };
  } else {
    const outcome = error.info.last?.outcome;
    const held = outcome?._tag === 'Value' ? (outcome.value as JudgedResult).failCondition : undefined;
    failure = {
      _tag: 'FailCondition',
      ...evidence,
      condition: held?.label ?? (error as PollFailedError).info.reason,
      held: held?.held ?? [],
    };
  }
  return new StepFailedError(failure, { checks, attempts: info.attempts });
}

function lastAttempt(a: PollFailureInfo<JudgedResult>['last']): LastAttempt | undefined {
  if (a === undefined) return undefined;
  const outcome = a.outcome;
  if (outcome._tag === 'Value') {
    const j = outcome.value;
    return { _tag: 'SqlResult', number: a.number, summary: j.summary, conditions: j.conditions, body: j.lastBody };
  }
  if (outcome._tag === 'Error') return { _tag: 'TransportError', number: a.number, message: errorParts(outcome.error).message };
  return { _tag: 'NoResponse', number: a.number };
}

/** `2 statements, all succeeded` / `2 statements, 1 failed: relation "orders" does not exist`. */
function summaryOf(result: SqlResult): string {
  const n = result.stats.total_queries;
  const head = `${n} statement${n === 1 ? '' : 's'}`;
  const firstError = result.queries.find((q) => q.error !== undefined)?.error;
  return firstError === undefined ? `${head}, all succeeded` : `${head}, ${result.stats.error_count} failed: ${firstError}`;
}

/** The first of `checks` whose every result passes. */
function firstHolding(
  checks: readonly CompiledCheck[],
  subject: CheckSubject,
): { label: string; held: readonly CheckRecord[] } | undefined {
  for (const check of checks) {
    const results = check.evaluate(subject);
    if (results.every((r) => r._tag === 'Passed')) return { label: check.label, held: results };
  }
  return undefined;
}

/** The step's failure when statements failed. */
function statementFailure(result: SqlResult): StepFailure | undefined {
  const failed = result.queries.flatMap((q, index) => (q.error === undefined ? [] : [{ index, query: q.query, error: q.error }]));
  return failed.length === 0 ? undefined : { _tag: 'SqlStatements', total: result.queries.length, failed };
}

/**
 * A result as checks read it: its JSON is the subject's body (so `json_path` and `sql_result`
 * read `.queries[0].rows[0].id`); it has no status and no headers.
 */
export function sqlSubject(result: SqlResult): CheckSubject {
  const value = result as unknown as Json;
  return { status: 0, headerValues: () => [], body: { _tag: 'Json', value, text: writeJson(value).text } };
}

/** An attempt's outcome: a response whose body excerpt is the result's JSON. */
function resultOutcome(result: SqlResult, durationMs: number): AttemptRecord['outcome'] {
  return {
    _tag: 'Response',
    status: 0,
    headers: {},
    bodyExcerpt: writeJson(result as unknown as Json, { maxChars: RESULT_EXCERPT_CHARS }).text,
    durationMs,
  };
}

function errorOutcome(error: unknown): AttemptRecord['outcome'] {
  if (error instanceof SqlTimeoutError) return { _tag: 'TransportError', code: 'TIMEOUT', message: error.message };
  const { code, message } = errorParts(error);
  return { _tag: 'TransportError', code, message };
}

function pollRecord(step: SqlStep, a: PollEvent<JudgedResult>): AttemptRecord {
  if (a._tag === 'Done')
    return attemptRecord(step, a.number, a.maxAttempts, a.timeoutMs, a.elapsedMs, a.value.outcome, a.value.conditions, undefined);
  const outcome = a.outcome;
  const result =
    outcome._tag === 'Value' ? outcome.value.outcome : errorOutcome(outcome._tag === 'Error' ? outcome.error : new Error('no result'));
  const conditions = outcome._tag === 'Value' ? outcome.value.conditions : [];
  return attemptRecord(step, a.number, a.maxAttempts, a.timeoutMs, a.elapsedMs, result, conditions, a.nextDelayMs);
}

/**
 * The record of one run of the statements. Its request is `SQL <dsn as a URL>` with the
 * statements as its body: the URL's password is what the redactor learns and masks, here and in
 * everything after.
 */
function attemptRecord(
  step: SqlStep,
  number: number,
  maxAttempts: number | undefined,
  timeoutMs: number | undefined,
  elapsedMs: number,
  outcome: AttemptRecord['outcome'],
  conditions: readonly CheckRecord[],
  nextDelayMs: number | undefined,
): AttemptRecord {
  return {
    number,
    maxAttempts,
    elapsedMs,
    timeoutMs,
    request: { method: 'SQL', url: dsnUrl(step.dsn), headers: {}, body: step.statements.join(';\n') },
    outcome,
    conditions,
    nextDelayMs,
  };
}

/** The rendered DSN (read again when it holds a template) and the timeout. */
function prepareStep(config: SqlConfig, variables: TemplateContext): E.Either<string, { dsn: Dsn; dsnText: string; timeoutMs: number }> {
  const rendered = renderString(config.dsn, variables);
  if (E.isLeft(rendered)) return E.left(`config.dsn: ${rendered.left.message}`);
  const dsn = parseDsn(config.driver, rendered.right);
  // The message names the key, never the DSN (it may hold a password).
  if (E.isLeft(dsn)) return E.left(`config.dsn (rendered from a template): ${dsn.left}`);
  const timeoutMs =
    config.timeout === undefined
      ? E.right(DEFAULT_SQL_TIMEOUT_MS)
      : resolveTemplatable(config.timeout, Duration, variables, 'config.timeout');
  if (E.isLeft(timeoutMs)) return timeoutMs;
  return E.right({ dsn: dsn.right, dsnText: rendered.right, timeoutMs: timeoutMs.right });
}

/**
 * The statements: each of `commands` rendered (a command is one statement, as Rocketship runs
 * it; a trailing `;` is fine), or the `file` (relative to the suite file) split at its `;`s, then
 * rendered.
 */
async function statementsOf(config: SqlConfig, context: PluginContext): Promise<E.Either<string, string[]>> {
  let sources: { readonly text: string; readonly key: string }[];
  if ('file' in config) {
    const path = resolve(context.suiteDir, config.file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code;
      return E.left(
        `config.file: ${code === 'ENOENT' ? 'SQL file not found' : `SQL file cannot be read (${code ?? String(error)})`}: ${path}`,
      );
    }
    sources = splitSql(text).map((s, i) => ({ text: s, key: `config.file (statement ${i})` }));
    if (sources.length === 0) return E.left(`config.file: ${path} holds no SQL statement`);
  } else {
    sources = config.commands.map((c, i) => ({ text: c, key: `config.commands[${i}]` }));
  }
  const out: string[] = [];
  for (const source of sources) {
    const r = renderString(source.text, context.variables);
    if (E.isLeft(r)) return E.left(`${source.key}: ${r.left.message}`);
    out.push(r.right);
  }
  return E.right(out);
}
