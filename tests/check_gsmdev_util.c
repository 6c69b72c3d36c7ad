/*
 * check_gsmdev_util — what the device adapter does without libgammu:
 * telling a modem's power-up lines (gsmdev_boot_state()) and waiting for
 * them to pass before libgammu connects (gsmdev_settle()).
 */
#include <check.h>
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <unistd.h>

#include "gsmdev_util.h"
#include "test_main.h"

START_TEST(test_boot_state)
{
	ck_assert_int_eq(gsmdev_boot_state(""), GSMDEV_BOOT_NONE);
	ck_assert_int_eq(gsmdev_boot_state("\r\n^RSSI:18\r\n"), GSMDEV_BOOT_NONE);
	/* SIM800 */
	ck_assert_int_eq(gsmdev_boot_state("\r\nRDY\r\n"), GSMDEV_BOOT_STARTED);
	ck_assert_int_eq(gsmdev_boot_state("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n"
	    "\r\nCall Ready\r\n"), GSMDEV_BOOT_STARTED);
	ck_assert_int_eq(gsmdev_boot_state("\r\nCall Ready\r\n\r\nSMS Ready\r\n"),
	    GSMDEV_BOOT_DONE);
	/* waiting for its PIN: nothing more comes until it is entered */
	ck_assert_int_eq(gsmdev_boot_state("\r\nRDY\r\n\r\n+CPIN: SIM PIN\r\n"),
	    GSMDEV_BOOT_DONE);
	/* EC25 */
	ck_assert_int_eq(gsmdev_boot_state("\r\n+CPIN: READY\r\n\r\n+QIND: SMS DONE\r\n"),
	    GSMDEV_BOOT_STARTED);
	ck_assert_int_eq(gsmdev_boot_state("\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n"),
	    GSMDEV_BOOT_DONE);
	/* a line not yet ended counts once it is */
	ck_assert_int_eq(gsmdev_boot_state("\r\nRDY\r\n\r\nSMS Rea"), GSMDEV_BOOT_STARTED);
	/* a new power-up after the end of one (a reset) */
	ck_assert_int_eq(gsmdev_boot_state("\r\nSMS Ready\r\n\r\nRDY\r\n"), GSMDEV_BOOT_STARTED);
}
END_TEST

/* Writes s to the modem's side at once, as a modem that speaks. */
static void
say(int master, const char *s)
{
	ck_assert_int_eq(write(master, s, strlen(s)), (ssize_t)strlen(s));
}

START_TEST(test_settle)
{
	int master, slave, ms;
	char name[64];
	pid_t pid;

	ck_assert_int_eq(openpty(&master, &slave, name, NULL, NULL), 0);
	/* silent: the quiet time and no more */
	ms = gsmdev_settle(name, 300, 5000);
	ck_assert_int_ge(ms, 300);
	ck_assert_int_lt(ms, 1000);
	/* powering up: until SMS Ready, though the lines are far apart */
	if ((pid = fork()) == 0) {
		say(master, "\r\nRDY\r\n");
		usleep(500000);
		say(master, "\r\n+CPIN: READY\r\n");
		usleep(700000);
		say(master, "\r\nSMS Ready\r\n");
		_exit(0);
	}
	ms = gsmdev_settle(name, 300, 5000);
	ck_assert_int_ge(ms, 1200 + 300);
	ck_assert_int_lt(ms, 3000);
	ck_assert_int_eq(gsmdev_settle("/nonexistent/ttyUSB9", 300, 5000), -1);
	close(master);
	close(slave);
}
END_TEST

static Suite *
gsmdev_util_suite(void)
{
	Suite *s = suite_create("gsmdev_util");
	TCase *tc = tcase_create("boot");

	tcase_add_test(tc, test_boot_state);
	tcase_add_test(tc, test_settle);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(gsmdev_util_suite)
