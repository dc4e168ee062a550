export { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_USERS, type DemoUsername } from './accounts'
export { apiLogin, apiLogout, CSRF_HEADER, CSRF_HEADERS, trpcCall, trpcData, trpcError, type TrpcError } from './api'
export { inputByTestId, login, loginExpectingError, waitForHydration, type LoginOptions } from './login'
export {
  actionDialog,
  addCrisisNotification,
  fillDateTime,
  moreAction,
  openCaseFor,
  saveAction,
  searchCaseBoard,
  seedCase,
  shanghaiLocal,
  type OpenCaseOptions,
  type SeededCase,
} from './cases'
export {
  FIXTURES_DIR,
  importRoster,
  previewImport,
  rosterCsv,
  rosterXlsx,
  runToken,
  searchRoster,
  studentNo,
  type UploadFile,
} from './roster'
