/** The baseline for webhook-ingest: Express parsing the same form posts and answering 204, nothing else. */
import express from 'express';

const app = express();
app.use(express.urlencoded({ extended: false }));
app.post('/webhooks/twilio/status', (_req, res) => void res.status(204).end());
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
