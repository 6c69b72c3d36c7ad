/*
 * http_pool — the HTTP server's database connections.  See http_pool.h.
 */
#include "http_pool.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct http_pool {
	pthread_mutex_t lock;		/* free, nfree */
	struct http_conn_db *free;	/* the last given back first */
	unsigned nfree;
	char *path;
};

static void
http_kept_clear(struct http_kept *k)
{
	if (k->resp)
		MHD_destroy_response(k->resp);	/* freed once the last client has it */
	free(k->key);
	memset(k, 0, sizeof(*k));
}

static void
http_conn_db_close(struct http_conn_db *c)
{
	http_kept_clear(&c->kept);
	db_close(c->db);
	free(c);
}

struct http_pool *
http_pool_new(const char *path)
{
	struct http_pool *pool = calloc(1, sizeof(*pool));

	if (pool == NULL || (pool->path = strdup(path)) == NULL)
		fatal("http: out of memory");
	pthread_mutex_init(&pool->lock, NULL);
	return pool;
}

struct http_conn_db *
http_pool_take(struct http_pool *pool, char *err, size_t errlen)
{
	struct http_conn_db *c;

	pthread_mutex_lock(&pool->lock);
	c = pool->free;
	if (c) {
		pool->free = c->next;
		pool->nfree--;
	}
	pthread_mutex_unlock(&pool->lock);
	if (c) {
		c->next = NULL;
		return c;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("http: out of memory");
	if ((c->db = db_open(pool->path, err, errlen)) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
http_pool_give(struct http_pool *pool, struct http_conn_db *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	if (pool->nfree < HTTP_POOL_IDLE) {
		c->next = pool->free;
		pool->free = c;
		pool->nfree++;
		c = NULL;
	}
	pthread_mutex_unlock(&pool->lock);
	if (c)
		http_conn_db_close(c);
}

void
http_pool_release_memory(struct http_pool *pool)
{
	struct http_conn_db *c;

	/* the free ones only, under the lock: no request holds them */
	pthread_mutex_lock(&pool->lock);
	for (c = pool->free; c; c = c->next)
		sqlite3_db_release_memory(db_handle(c->db));
	pthread_mutex_unlock(&pool->lock);
}

void
http_pool_free(struct http_pool *pool)
{
	struct http_conn_db *c, *next;

	if (pool == NULL)
		return;
	for (c = pool->free; c; c = next) {
		next = c->next;
		http_conn_db_close(c);
	}
	pthread_mutex_destroy(&pool->lock);
	free(pool->path);
	free(pool);
}
