/*
 * http_pool — the HTTP server's database connections.  See http_pool.h.
 */
#include "http_pool.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct http_pool {
	pthread_mutex_t lock;		/* everything below */
	pthread_cond_t given;		/* a connection was given back */
	struct http_conn_db *free;	/* the last given back first */
	unsigned open;			/* connections, free or held */
	char *path;
	struct db *watch;		/* never writes: its data_version is the
					   generation (http_pool.h); opened at the
					   first look */
	char *kept_key;
	int64_t kept_gen;
	struct http_kept *kept;
	pthread_mutex_t build;		/* held by the one building an answer to keep */
};

struct http_pool *
http_pool_new(const char *path)
{
	struct http_pool *pool = calloc(1, sizeof(*pool));

	if (pool == NULL || (pool->path = strdup(path)) == NULL)
		fatal("http: out of memory");
	pthread_mutex_init(&pool->lock, NULL);
	pthread_mutex_init(&pool->build, NULL);
	pthread_cond_init(&pool->given, NULL);
	return pool;
}

struct http_conn_db *
http_pool_take(struct http_pool *pool, char *err, size_t errlen)
{
	struct http_conn_db *c;

	pthread_mutex_lock(&pool->lock);
	while (pool->free == NULL && pool->open >= HTTP_POOL_MAX)
		pthread_cond_wait(&pool->given, &pool->lock);
	c = pool->free;
	if (c)
		pool->free = c->next;
	else
		pool->open++;	/* one more, opened below */
	pthread_mutex_unlock(&pool->lock);
	if (c) {
		c->next = NULL;
		return c;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("http: out of memory");
	if ((c->db = db_open(pool->path, err, errlen)) == NULL) {
		free(c);
		pthread_mutex_lock(&pool->lock);
		pool->open--;
		pthread_cond_signal(&pool->given);
		pthread_mutex_unlock(&pool->lock);
		return NULL;
	}
	db_busy_timeout(c->db, HTTP_POOL_BUSY_MS);
	return c;
}

void
http_pool_give(struct http_pool *pool, struct http_conn_db *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&pool->lock);
	c->next = pool->free;
	pool->free = c;
	pthread_cond_signal(&pool->given);
	pthread_mutex_unlock(&pool->lock);
}

int64_t
http_pool_stamp(struct http_pool *pool)
{
	struct db_stamp now;
	char err[256];
	int64_t gen = -1;

	pthread_mutex_lock(&pool->lock);
	if (pool->watch == NULL && (pool->watch = db_open(pool->path, err, sizeof(err))) == NULL)
		log_err("http: %s", err);
	if (pool->watch && db_stamp(pool->watch, &now) == 0)
		gen = now.others;
	pthread_mutex_unlock(&pool->lock);
	return gen;
}

struct http_kept {
	char *data;
	size_t len;
	atomic_uint refs;	/* the pool's, and one per response */
};

static void
http_kept_unref(void *arg)
{
	struct http_kept *k = arg;

	if (k && atomic_fetch_sub(&k->refs, 1) == 1) {
		free(k->data);
		free(k);
	}
}

/* A response of k's body, which holds k until libmicrohttpd frees it. */
static struct MHD_Response *
http_kept_response(struct http_kept *k)
{
	struct MHD_Response *resp;

	atomic_fetch_add(&k->refs, 1);
	resp = MHD_create_response_from_buffer_with_free_callback_cls(k->len, k->data,
	    http_kept_unref, k);
	if (resp == NULL)
		fatal("http: cannot create a response");
	return resp;
}

struct MHD_Response *
http_pool_kept(struct http_pool *pool, const char *key, int64_t gen)
{
	struct MHD_Response *resp = NULL;

	pthread_mutex_lock(&pool->lock);
	if (pool->kept && gen >= 0 && pool->kept_gen == gen && strcmp(pool->kept_key, key) == 0)
		resp = http_kept_response(pool->kept);
	pthread_mutex_unlock(&pool->lock);
	return resp;
}

void
http_pool_build_begin(struct http_pool *pool)
{
	pthread_mutex_lock(&pool->build);
}

void
http_pool_build_end(struct http_pool *pool)
{
	pthread_mutex_unlock(&pool->build);
}

static void
http_pool_drop_kept(struct http_pool *pool)
{
	http_kept_unref(pool->kept);	/* freed once the last client has it */
	free(pool->kept_key);
	pool->kept = NULL;
	pool->kept_key = NULL;
}

struct MHD_Response *
http_pool_keep(struct http_pool *pool, const char *key, int64_t gen, char *data, size_t len)
{
	struct http_kept *k = calloc(1, sizeof(*k));
	char *copy = strdup(key);
	struct MHD_Response *resp;

	if (k == NULL || copy == NULL)
		fatal("http: out of memory");
	k->data = data;
	k->len = len;
	atomic_init(&k->refs, 1);
	pthread_mutex_lock(&pool->lock);
	http_pool_drop_kept(pool);
	pool->kept = k;
	pool->kept_key = copy;
	pool->kept_gen = gen;
	resp = http_kept_response(k);
	pthread_mutex_unlock(&pool->lock);
	return resp;
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
		db_close(c->db);
		free(c);
	}
	http_pool_drop_kept(pool);
	db_close(pool->watch);
	pthread_cond_destroy(&pool->given);
	pthread_mutex_destroy(&pool->lock);
	pthread_mutex_destroy(&pool->build);
	free(pool->path);
	free(pool);
}
