import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * Runs bookkeeping once the transaction of an EntityManager has committed, and forgets it
 * when the transaction rolls back: a job written inside a caller's transaction exists only
 * from its commit on, so that is when it may be counted. A TypeORM subscriber on the
 * transaction events of the data source; no caller has to remember anything.
 *
 * Only the outermost commit or rollback counts. A rollback to a savepoint keeps what was
 * registered (it runs at the outer commit): nothing in this service enqueues in a savepoint.
 */
export class AfterCommit implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, (() => void)[]>();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  /** Runs `action` after `manager`'s transaction commits; at once when it has none open. */
  run(manager: EntityManager, action: () => void): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      action();
      return;
    }
    const actions = this.pending.get(runner);
    if (actions) actions.push(action);
    else this.pending.set(runner, [action]);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // Still active: a savepoint was released, the transaction goes on.
    if (queryRunner.isTransactionActive) return;
    const actions = this.pending.get(queryRunner);
    this.pending.delete(queryRunner);
    for (const action of actions ?? []) action();
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (queryRunner.isTransactionActive) return;
    this.pending.delete(queryRunner);
  }
}
