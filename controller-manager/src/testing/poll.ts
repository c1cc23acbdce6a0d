// The shared poll helper (shared/src/testing/poll.ts), re-exported for this workspace's tests.
export { eventually } from '@k8ts/shared/testing/poll';
