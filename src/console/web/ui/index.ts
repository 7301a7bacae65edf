// The shared building blocks pages use; import them from '../ui'.
export { DataTable, type Column, type DataTableProps } from './data-table';
export { Loading } from './loading';
export { MessagePage } from './message-page';
export { ProblemMessage } from './problem-message';
export { TemporalLink, temporalRunUrl } from './temporal-link';
export { useApiGet, type ApiResource } from './use-api';
export { formFields, useAction, type Action } from './use-action';
