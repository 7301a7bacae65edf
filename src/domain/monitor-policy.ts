import type { Config } from '../config';
import type { LadderPolicy } from './escalation-ladder';

export interface MonitorPolicy extends LadderPolicy {
  windowsHours: number[];
  /** While warned, a reminder this often (absent in histories from before reminders). */
  reminderIntervalMs?: number;
}

/**
 * The escalation ladder's policy from the `MONITOR_*` settings. The monitor's `monitorPolicy`
 * activity answers it, and the staff console's rates route draws its thresholds, so both read
 * the settings the same way.
 */
export function monitorPolicyOf(config: Config): MonitorPolicy {
  return {
    errorRate: { approachingAbove: config.MONITOR_ERROR_RATE_APPROACHING, badAbove: config.MONITOR_ERROR_RATE_BAD },
    optOutRate: { approachingAbove: config.MONITOR_OPT_OUT_RATE_APPROACHING, badAbove: config.MONITOR_OPT_OUT_RATE_BAD },
    minVolume: config.MONITOR_MIN_VOLUME,
    escalateAfterEvaluations: config.MONITOR_ESCALATE_AFTER_EVALUATIONS,
    recoverAfterMs: config.MONITOR_RECOVER_AFTER_SECONDS * 1000,
    windowsHours: config.MONITOR_WINDOWS_HOURS,
    reminderIntervalMs: config.MONITOR_REMINDER_INTERVAL_SECONDS * 1000,
  };
}
