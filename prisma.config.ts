export { default } from './api/prisma.config'
