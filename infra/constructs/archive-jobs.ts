import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { functionTimeoutSeconds } from '../function-timeouts.js';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ANCHOR_HOUR_SHANGHAI } from '../../functions/domain/anchor-schedule.js';
import { ServiceFunction } from './service-function.js';
import { SCHEDULE_TIME_ZONE } from './schedules.js';

export interface ArchiveJobsProps {
  readonly table: ITable;
  readonly key: IKey;
  readonly indexNames: readonly string[];
  /** The Object Lock archive bucket (stateful stack). */
  readonly archive: IBucket;
  readonly handlersDir: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly deadLetters: IQueue;
  /** Object Lock retention of each archived object, in days. */
  readonly retentionDays: number;
}

/**
 * The daily anchor job (docs/architecture.md "Anchors"): the heads of every changed chain into
 * a Merkle tree written to the archive, then the closed lifecycles exported. It may put objects
 * (with their retention) and read them back; it cannot delete anything.
 */
export class ArchiveJobs extends Construct {
  public readonly anchorJob: ServiceFunction;
  public readonly anchorSchedule: Schedule;

  constructor(scope: Construct, id: string, props: ArchiveJobsProps) {
    super(scope, id);
    this.anchorJob = new ServiceFunction(this, 'AnchorJob', {
      entry: join(props.handlersDir, 'workflow', 'anchor-chains.ts'),
      description: 'Daily: anchors changed hash chains (Merkle root) and exports closed lifecycles to the archive',
      environment: props.environment,
      timeout: Duration.seconds(functionTimeoutSeconds('workflow/anchor-chains.ts')),
    });
    this.anchorJob.bindTable(props.table, props.key, props.indexNames, 'RW');
    // Finding the changed chains walks the policy partitions once a day (a projected scan).
    this.anchorJob.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [props.table.tableArn] }));
    allowArchive(this.anchorJob, props.archive, 'RW', props.retentionDays);
    this.anchorSchedule = new Schedule(this, 'DailyAnchor', {
      description: 'Anchors the day\'s changed hash chains (02:00 Asia/Shanghai)',
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(ANCHOR_HOUR_SHANGHAI), day: '*', month: '*', year: '*', timeZone: SCHEDULE_TIME_ZONE }),
      target: new LambdaInvoke(this.anchorJob, {
        deadLetterQueue: props.deadLetters,
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
        input: ScheduleTargetInput.fromObject({ source: 'schedule', scheduledTime: ContextAttribute.scheduledTime }),
      }),
    });
  }
}

/** The archive's key prefixes (functions/use-cases/audit/anchor-history.ts, archive-export.ts). */
export const ARCHIVE_PREFIXES = ['anchors', 'anchor-index', 'policies'] as const;

/** `R`: get and list; `RW`: also put with a retention (never delete, never change a retention). */
export function allowArchive(f: ServiceFunction, archive: IBucket, access: 'R' | 'RW', retentionDays?: number): void {
  f.addEnvironment('ARCHIVE_BUCKET', archive.bucketName);
  if (access === 'RW' && retentionDays !== undefined) f.addEnvironment('ARCHIVE_RETENTION_DAYS', String(retentionDays));
  const statements = [
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [archive.bucketArn] }),
    new PolicyStatement({
      actions: access === 'RW' ? ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'] : ['s3:GetObject'],
      resources: ARCHIVE_PREFIXES.map((prefix) => archive.arnForObjects(`${prefix}/*`)),
    }),
  ];
  // The archive shares the table's key: usable only through S3 here, as it is only through DynamoDB for the table.
  if (archive.encryptionKey) {
    statements.push(new PolicyStatement({
      actions: access === 'RW' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [archive.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(f).region}.amazonaws.com` } },
    }));
  }
  // Its only wildcards are the archive's key prefixes (explained in infra/nag-suppressions.ts).
  for (const statement of statements) f.addToRolePolicy(statement);
}
