import type { Config } from '../config';
import type { CampaignTimings } from '../workflows/campaign-send/definitions';
import type { RegistrationTimings } from '../workflows/carrier-registration/definitions';
import type { LifecycleTimings } from '../workflows/tenant-lifecycle/definitions';

/**
 * Durations are configured in seconds (so tests can make them short) and handed to workflows in
 * milliseconds, as part of their start input: a running workflow keeps the timings it began with.
 */
export function lifecycleTimings(config: Config): LifecycleTimings {
  return {
    verificationTtlMs: config.VERIFICATION_TTL_SECONDS * 1000,
    resendCooldownMs: config.VERIFICATION_RESEND_COOLDOWN_SECONDS * 1000,
    maxVerificationAttempts: config.VERIFICATION_MAX_ATTEMPTS,
    minSuccessfulSandboxSends: config.SANDBOX_MIN_SUCCESSFUL_SENDS,
    reviewReminderIntervalMs: config.REVIEW_REMINDER_INTERVAL_SECONDS * 1000,
    monitorIntervalMs: config.MONITOR_INTERVAL_SECONDS * 1000,
    activityTimeoutMs: config.ACTIVITY_TIMEOUT_SECONDS * 1000,
    faultRetryIntervalMs: config.INFRASTRUCTURE_RETRY_SECONDS * 1000,
    registration: registrationTimings(config),
  };
}

/** The carrier registration's polling: the lifecycle hands these to the registration it starts, staff starts use them too. */
export function registrationTimings(config: Config): RegistrationTimings {
  return {
    pollInitialMs: config.REGISTRATION_POLL_INITIAL_SECONDS * 1000,
    pollMaxMs: config.REGISTRATION_POLL_MAX_SECONDS * 1000,
    giveUpAfterMs: config.REGISTRATION_GIVE_UP_SECONDS * 1000,
    activityTimeoutMs: config.ACTIVITY_TIMEOUT_SECONDS * 1000,
  };
}

export function campaignTimings(config: Config, tenantCadenceMinutes: number): CampaignTimings {
  return {
    cadenceMs: (config.RELAY_CADENCE_SECONDS ?? tenantCadenceMinutes * 60) * 1000,
    batchSize: config.CAMPAIGN_BATCH_SIZE,
    batchesPerRun: config.CAMPAIGN_BATCHES_PER_RUN,
    statusPollMs: config.STATUS_POLL_SECONDS * 1000,
    statusWaitMaxMs: config.STATUS_WAIT_MAX_SECONDS * 1000,
    statusRefreshAfterMs: config.STATUS_REFRESH_AFTER_SECONDS * 1000,
    lookupTtlMs: config.LOOKUP_TTL_SECONDS * 1000,
    sendByMs: config.CAMPAIGN_SEND_BY_HOURS * 3_600_000,
    activityTimeoutMs: config.ACTIVITY_TIMEOUT_SECONDS * 1000,
    relayHeartbeatTimeoutMs: config.RELAY_HEARTBEAT_TIMEOUT_SECONDS * 1000,
  };
}
