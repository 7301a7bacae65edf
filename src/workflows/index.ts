// Every workflow the worker registers (this file is the bundle's entry point).
export { platformSelfCheck } from './platform-self-check';
export { tenantLifecycle } from './tenant-lifecycle/workflow';
export { campaignSend } from './campaign-send/workflow';
export { tenantMonitor } from './tenant-monitor/workflow';
export { notificationEmail } from './notification-email';
export { carrierRegistration } from './carrier-registration/workflow';
export { dataRetention } from './data-retention/workflow';
export { contactErasure } from './contact-erasure/workflow';
export { tenantOffboarding } from './offboarding/workflow';
