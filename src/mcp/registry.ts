// The one tool registry: the MCP server and the chat agent both offer exactly these.
import { addProjectTool, deleteProjectTool, listProjectsTool, updateProjectTool } from './tools/projects'
import { answerInvitationTool, leaveProjectTool, listInvitationsTool, listProjectMembersTool, shareProjectTool, unshareProjectTool } from './tools/sharing'
import { cancelReminderTool, listRemindersTool, setReminder } from './tools/reminders'
import { addTask, addTasks, completeTasksTool, completeTaskTool, deleteTaskTool, findTasksTool, getTaskTool, listTasks, reopenTaskTool, restoreTaskTool, updateTaskTool } from './tools/tasks'
import type { ToolDef } from './tool'

export const TOOLS: ToolDef[] = [
  addTask,
  addTasks,
  listTasks,
  findTasksTool,
  getTaskTool,
  updateTaskTool,
  completeTaskTool,
  completeTasksTool,
  reopenTaskTool,
  deleteTaskTool,
  restoreTaskTool,
  setReminder,
  listRemindersTool,
  cancelReminderTool,
  listProjectsTool,
  addProjectTool,
  updateProjectTool,
  deleteProjectTool,
  shareProjectTool,
  listProjectMembersTool,
  unshareProjectTool,
  leaveProjectTool,
  listInvitationsTool,
  answerInvitationTool,
] as unknown as ToolDef[]
