import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_GSIS } from '../../functions/adapters/dynamodb/table-gsis.js';

export interface StatefulStackProps extends StackProps {
  /**
   * Object Lock default retention of the audit archive, in days (COMPLIANCE mode: nobody,
   * the root user included, can shorten it or delete a locked object before it ends).
   * @default 3653 (ten years)
   */
  readonly archiveRetentionDays?: number;
}

/** Names of the table's global secondary indexes (the data model's contract). */
export const TABLE_INDEXES = TABLE_GSIS.map((gsi) => gsi.name);

/**
 * Everything that holds data and must outlive a redeploy: the single table (event log,
 * views, work queues), its customer-managed key and the audit archive. All retained on
 * stack deletion.
 */
export class StatefulStack extends Stack {
  /** The single table: `pk`/`sk`, GSI `work`, the audit GSIs (functions/adapters/dynamodb/audit-index-keys.ts) and `unpaid`. */
  public readonly table: Table;
  /** Customer-managed key of the table and the archive (rotated yearly). */
  public readonly key: Key;
  /** Write-once archive of the audit history (versioned, TLS-only, Object Lock). */
  public readonly archive: Bucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    this.key = new Key(this, 'DataKey', {
      description: 'Policy QC: table and audit archive encryption',
      enableKeyRotation: true,
      alias: `alias/${this.stackName}-data`,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudFormation adds one GSI per table update: a table deployed before some of them needs one deploy per index.
    for (const gsi of TABLE_GSIS) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.name,
        partitionKey: { name: gsi.pk, type: AttributeType.STRING },
        sortKey: { name: gsi.sk, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // S3 server access logs only support SSE-S3 on the target bucket.
    const accessLogs = new Bucket(this, 'ArchiveAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.archive = new Bucket(this, 'AuditArchive', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.archiveRetentionDays ?? 3653)),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'audit-archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Write-once for everyone: no principal may delete an object or version, or loosen the lock.
    this.archive.addToResourcePolicy(new PolicyStatement({
      sid: 'DenyArchiveDeletionAndLockChanges',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: [
        's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketObjectLockConfiguration', 's3:BypassGovernanceRetention',
        's3:PutObjectLegalHold', 's3:PutLifecycleConfiguration', 's3:DeleteBucket',
      ],
      resources: [this.archive.bucketArn, this.archive.arnForObjects('*')],
    }));
  }
}
